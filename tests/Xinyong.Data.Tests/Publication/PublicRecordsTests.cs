using System.Globalization;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Publication;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Publication;

public sealed class PublicRecordsTests
{
    private static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(6, seed: 31);
    private const string PersonId = "320583199007311148";
    private static readonly DateOnly Today = new(2026, 11, 20);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<(TestPlatform P, IngestSummary Summary)> LoadAsync(string provider, TempDir dir, bool project = true)
    {
        var p = await TestPlatform.CreateAsync(provider);
        var dept = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("苏州甲科技有限公司", Codes[0], "昆市监罚〔2024〕1号", "2024-03-15", "3"))
            .Add(PenaltyFile.Row("苏州乙贸易有限公司", Codes[1], "昆市监罚〔2020〕2号", "2020-01-10", "3"))
            .Add(PenaltyFile.Row("苏州丙餐饮有限公司", Codes[2], "昆市监罚〔2026〕3号", "2026-06-01", "0.2"));
        var person = PenaltyFile.Row("杨松", "", "昆市监罚〔2025〕4号", "2025-05-06", "0.5");
        person["CF_XDR_LB"] = "自然人";
        person["CF_XDR_ZJLX"] = "身份证";
        person["CF_XDR_ZJHM"] = PersonId;
        person["CF_SY"] = $"当事人杨松（身份证号{PersonId}）销售过期食品。";
        file.Add(person);
        var path = file.WriteCsv(dir.Path);
        var summary = await p.Get<IngestionRunner>().IngestFileAsync(path, "penalties.csv", dept.Id, "penalty", "test", new Actor(ActorKind.Cli, "tester", dept.Id));
        summary.Accepted.ShouldBe(4);
        if (project) (await p.Get<PublicationProjector>().ProjectSubmissionAsync(summary.SubmissionId)).ShouldBe(4);
        return (p, summary);
    }

    private static async Task<long> SubjectIdAsync(TestPlatform p, string uscc) =>
        await p.ScalarAsync("SELECT id FROM subjects WHERE uscc = @uscc", new { uscc });

    [Theory, DatabaseProviders]
    public async Task Project_StoresRuleSetGradeAndDates(string provider)
    {
        using var dir = new TempDir();
        var (p, _) = await LoadAsync(provider, dir);
        await using var _p = p;
        await using var conn = await p.Db.OpenAsync();
        var rows = (await conn.QueryAsync<(string Number, string RuleSet, string Grade, bool Published, string? Withheld, DateOnly? Until)>("""
            SELECT r.decision_number, p.rule_set, p.grade, p.published, p.withheld_reason, p.publish_until
            FROM publications p JOIN records r ON r.id = p.record_id ORDER BY r.decision_number
            """)).ToDictionary(r => r.Number);

        rows["昆市监罚〔2024〕1号"].ShouldBe(("昆市监罚〔2024〕1号", "2023-order58", "general", true, null, D("2027-03-15")));
        rows["昆市监罚〔2020〕2号"].ShouldBe(("昆市监罚〔2020〕2号", "2019-527", "general", true, null, D("2021-01-10")));
        rows["昆市监罚〔2026〕3号"].ShouldBe(("昆市监罚〔2026〕3号", "2026-repair", "minor", false, "minor-grade", D("2026-06-01")));
        rows["昆市监罚〔2025〕4号"].Withheld.ShouldBe("natural-person");
    }

    [Theory, DatabaseProviders]
    public async Task Subject_ShowsPublishedPenaltyAndCountsWhatIsNotShown(string provider)
    {
        using var dir = new TempDir();
        var (p, _) = await LoadAsync(provider, dir);
        await using var _p = p;
        var records = p.Get<PublicRecords>();

        var a = (await records.SubjectAsync(await SubjectIdAsync(p, Codes[0]), Today))!;
        a.Penalties.Select(r => r.DecisionNumber).ShouldBe(["昆市监罚〔2024〕1号"]);
        a.Penalties[0].PublishUntil.ShouldBe(D("2027-03-15"));
        a.Penalties[0].RepairFrom.ShouldBe(D("2024-06-15"));
        a.Penalties[0].Basis.ShouldBe("《中华人民共和国食品安全法》第一百二十四条");

        var b = (await records.SubjectAsync(await SubjectIdAsync(p, Codes[1]), Today))!;
        b.Penalties.ShouldBeEmpty();
        b.Expired.ShouldBe(1);

        var c = (await records.SubjectAsync(await SubjectIdAsync(p, Codes[2]), Today))!;
        c.Penalties.ShouldBeEmpty();
        c.Withheld.ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task Visibility_EndsOnTheDayThePeriodEnds_Everywhere(string provider)
    {
        using var dir = new TempDir();
        var (p, _) = await LoadAsync(provider, dir);
        await using var _p = p;
        var records = p.Get<PublicRecords>();
        var id = await SubjectIdAsync(p, Codes[0]);

        foreach (var (day, visible) in new[] { (D("2027-03-14"), true), (D("2027-03-15"), false) })
        {
            (await records.SubjectAsync(id, day))!.Penalties.Count.ShouldBe(visible ? 1 : 0);
            var column = await records.ColumnAsync(new ColumnQuery("penalty", day));
            column.Items.Any(r => r.SubjectId == id).ShouldBe(visible);
            var streamed = new List<PublicRecord>();
            await foreach (var r in records.StreamAsync(new ColumnQuery("penalty", day))) streamed.Add(r);
            streamed.Any(r => r.SubjectId == id).ShouldBe(visible);
            var recordId = await p.ScalarAsync("SELECT id FROM records WHERE subject_id = @id", new { id });
            (await records.RecordAsync(recordId, day) is not null).ShouldBe(visible);
        }
    }

    [Theory, DatabaseProviders]
    public async Task NaturalPerson_IdNumberAndFullNameNeverLeaveThePublicQueries(string provider)
    {
        using var dir = new TempDir();
        var (p, _) = await LoadAsync(provider, dir);
        await using var _p = p;
        var records = p.Get<PublicRecords>();
        var personId = await p.ScalarAsync("SELECT subject_id FROM subject_identifiers WHERE value = @PersonId", new { PersonId });

        var subject = (await records.SubjectAsync(personId, Today))!;
        subject.Name.ShouldBe("杨*");
        subject.Penalties.ShouldBeEmpty();
        subject.Withheld.ShouldBe(1);

        // Even if a rule change published natural persons' penalties, the projection output is scrubbed.
        await p.Db.OpenAsync().ContinueWith(async t => { await using var c = t.Result; await c.ExecuteAsync("UPDATE publications SET published = TRUE, withheld_reason = NULL"); }).Unwrap();
        var all = new List<PublicRecord>();
        await foreach (var r in records.StreamAsync(new ColumnQuery("penalty", Today))) all.Add(r);
        var json = JsonSerializer.Serialize(new { subject = await records.SubjectAsync(personId, Today), all });
        all.Count.ShouldBe(2);
        json.ShouldNotContain(PersonId);
        json.ShouldNotContain("杨松");
        all.Single(r => r.SubjectKind == "natural_person").Facts.ShouldBe("当事人杨*（身份证号3205************48）销售过期食品。");
    }

    [Theory, DatabaseProviders]
    public async Task NewVersion_IsProjectedAgain(string provider)
    {
        using var dir = new TempDir();
        var (p, _) = await LoadAsync(provider, dir);
        await using var _p = p;
        var dept = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        var changed = new PenaltyFile().Add(PenaltyFile.Row("苏州甲科技有限公司", Codes[0], "昆市监罚〔2024〕1号", "2024-03-15", "3"));
        changed.Rows[0]["CF_CFLB"] = "罚款;吊销许可证件";
        var path = changed.WriteCsv(dir.Path, name: "v2.csv");
        p.Clock.Advance(TimeSpan.FromMinutes(5));
        var summary = await p.Get<IngestionRunner>().IngestFileAsync(path, "v2.csv", dept.Id, "penalty", "test", new Actor(ActorKind.Cli, "tester", dept.Id));
        summary.NewVersions.ShouldBe(1);
        await p.Get<PublicationProjector>().ProjectSubmissionAsync(summary.SubmissionId);

        var a = (await p.Get<PublicRecords>().SubjectAsync(await SubjectIdAsync(p, Codes[0]), Today))!;
        a.Penalties.Single().Grade.ShouldBe("serious");
        a.Penalties.Single().Kinds.ShouldBe("罚款;吊销许可证件");
    }

    [Theory, DatabaseProviders]
    public async Task ProjectPending_CatchesUpRecordsNeverProjected_AndKeepsEarlyEnds(string provider)
    {
        using var dir = new TempDir();
        var (p, _) = await LoadAsync(provider, dir, project: false);
        await using var _p = p;
        var projector = p.Get<PublicationProjector>();
        (await p.ScalarAsync("SELECT COUNT(*) FROM publications")).ShouldBe(0);

        (await projector.ProjectPendingAsync()).ShouldBe(4);
        (await projector.ProjectPendingAsync()).ShouldBe(0);

        await using (var conn = await p.Db.OpenAsync())
        {
            await conn.ExecuteAsync("UPDATE publications SET ended_on = @d, ended_reason = 'repair' WHERE subject_id = (SELECT id FROM subjects WHERE uscc = @u)",
                new { d = D("2026-10-01"), u = Codes[0] });
        }
        (await projector.ProjectAllAsync()).ShouldBe(4);
        (await p.ScalarAsync("SELECT COUNT(*) FROM publications WHERE ended_reason = 'repair'")).ShouldBe(1);
        (await p.Get<PublicRecords>().SubjectAsync(await SubjectIdAsync(p, Codes[0]), Today))!.Penalties.ShouldBeEmpty();
    }
}
