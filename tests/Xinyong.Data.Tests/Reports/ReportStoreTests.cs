using System.Text;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Reports;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Publication;
using Xinyong.Data.Reports;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Reports;

/// <summary>Stands in for Chromium: the "PDF" is the canonical content, so a test can see what was rendered.</summary>
public sealed class TextRenderer : IReportRenderer
{
    public Task<byte[]> RenderPdfAsync(ReportContent content, CancellationToken ct = default) =>
        Task.FromResult(Encoding.UTF8.GetBytes("%PDF-test\n").Concat(CanonicalJson.Serialize(content)).ToArray());
}

public sealed class ReportStoreTests
{
    private static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(3, seed: 57);
    private static readonly Actor Staff = new(ActorKind.User, "report-officer");
    private static readonly Actor Public = new(ActorKind.System, "public-site");

    /// <summary>Subject A: two penalties on view (2024, 2025) and one past its period (2020); subject B: nothing.</summary>
    private static async Task<TestPlatform> LoadAsync(string provider, TempDir dir)
    {
        var p = await TestPlatform.CreateAsync(provider);
        var dept = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("苏州甲科技有限公司", Codes[0], "昆市监罚〔2024〕11号", "2024-03-15", "3"))
            .Add(PenaltyFile.Row("苏州甲科技有限公司", Codes[0], "昆市监罚〔2025〕12号", "2025-08-01", "1.5"))
            .Add(PenaltyFile.Row("苏州甲科技有限公司", Codes[0], "昆市监罚〔2020〕13号", "2020-01-10", "3"))
            .Add(PenaltyFile.Row("苏州乙贸易有限公司", Codes[1], "昆市监罚〔2020〕14号", "2020-02-10", "3"));
        var summary = await p.Get<IngestionRunner>().IngestFileAsync(file.WriteCsv(dir.Path), "penalties.csv", dept.Id, "penalty", "test", new Actor(ActorKind.Cli, "tester", dept.Id));
        summary.Accepted.ShouldBe(4);
        await p.Get<PublicationProjector>().ProjectSubmissionAsync(summary.SubmissionId);
        return p;
    }

    private static async Task<IssuedReport> IssueAsync(TestPlatform p, string code, string kind = ReportKinds.Public, string? purpose = null)
    {
        var store = p.Get<ReportStore>();
        var opened = await store.RequestAsync(new ReportApplication(code, kind, purpose, "李四", "13800001111", "投标"), Public);
        return await store.IssueAsync(opened.Request.Id, Staff, new TextRenderer());
    }

    [Theory, DatabaseProviders]
    public async Task IssueAsync_PublicReport_CountsOnlyPenaltiesOnViewAndSaysWhatIsNotShown(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);

        var report = await IssueAsync(p, Codes[0]);
        var content = report.Read();

        content.Subject.Name.ShouldBe("苏州甲科技有限公司");
        content.Subject.Uscc.ShouldBe(Codes[0]);
        content.Sections.Select(s => s.Id).ShouldBe(["licences", "penalties", "lists", "commitments", "honours"]);
        var penalties = content.Sections.Single(s => s.Id == "penalties");
        penalties.Count.ShouldBe(2);
        penalties.Items.Select(i => i.Title).ShouldBe(["昆市监罚〔2025〕12号", "昆市监罚〔2024〕11号"]);
        penalties.Items[0].Fields.ShouldContain(new ReportField("罚款金额（元）", "15,000"));
        content.Notes.ShouldContain(n => n.Contains("另有 1 条信息已超过公示期限", StringComparison.Ordinal));
        content.Sections.Single(s => s.Id == "licences").Empty.ShouldNotBeNull();
    }

    [Theory, DatabaseProviders]
    public async Task IssueAsync_PurposeReportWithoutRecords_SaysNoRecordFoundForThePeriod(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);

        var content = (await IssueAsync(p, Codes[0], ReportKinds.Purpose, "work-safety")).Read();

        content.Title.ShouldBe("专项信用报告（安全生产）");
        content.PeriodFrom.ShouldBe(new DateOnly(2023, 11, 21));
        content.PeriodTo.ShouldBe(new DateOnly(2026, 11, 20));
        var penalties = content.Sections.Single(s => s.Id == "penalties");
        penalties.Count.ShouldBe(0);
        penalties.Empty.ShouldBe("经查询，2023年11月21日至2026年11月20日期间，未发现该主体在安全生产领域的行政处罚记录。");
        content.Notes.ShouldContain(n => n.StartsWith("结论：经查询", StringComparison.Ordinal) && n.Contains("安全生产领域无违法违规记录证明", StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task IssueAsync_PurposeReportMarketRegulation_ListsPenaltiesOfTheFieldInThePeriod(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);

        var content = (await IssueAsync(p, Codes[0], ReportKinds.Purpose, "market-regulation")).Read();

        var penalties = content.Sections.Single(s => s.Id == "penalties");
        penalties.Count.ShouldBe(2);
        content.Notes.ShouldContain(n => n.Contains("有行政处罚记录 2 条", StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task IssueAsync_ThreeReports_NumbersUniqueSequentialWithValidCheck(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);

        var numbers = new List<string>();
        foreach (var code in new[] { Codes[0], Codes[1], Codes[0] }) numbers.Add((await IssueAsync(p, code)).Number);

        numbers.Distinct().Count().ShouldBe(3);
        numbers.Select(n => ReportNumber.TryParse(n, out var x) ? x!.Value.Sequence : -1).ShouldBe([1, 2, 3]);
        numbers.ShouldAllBe(n => n.StartsWith("XY-20261120-", StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task IssueAsync_StoredContent_HashesToTheStoredHashAndIsCanonical(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);

        var issued = await IssueAsync(p, Codes[0]);
        var stored = (await p.Get<ReportStore>().GetAsync(issued.Number))!;

        CanonicalJson.Text(CanonicalJson.Canonicalize(stored.Content)).ShouldBe(stored.Content);
        CanonicalJson.Sha256Hex(Encoding.UTF8.GetBytes(stored.Content)).ShouldBe(stored.ContentSha256);
        var pdf = (await p.Get<ReportStore>().PdfAsync(issued.Number))!;
        CanonicalJson.Sha256Hex(pdf).ShouldBe(stored.PdfSha256);
        (await p.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'report.issue' AND entity_id = @n", new { n = issued.Number })).ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task IssueAsync_SameRequestTwice_RefusedAndNoSecondReport(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);
        var store = p.Get<ReportStore>();
        var opened = await store.RequestAsync(new ReportApplication(Codes[0], ReportKinds.Public, null, "李四", "13800001111", "投标"), Public);
        await store.IssueAsync(opened.Request.Id, Staff, new TextRenderer());

        var ex = await Should.ThrowAsync<ReportRefusedException>(() => store.IssueAsync(opened.Request.Id, Staff, new TextRenderer()));

        ex.Refusal.Code.ShouldBe("already-issued");
        (await p.ScalarAsync("SELECT COUNT(*) FROM reports")).ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task RequestAsync_UnknownCode_RefusedSubjectNotFound(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);

        var ex = await Should.ThrowAsync<ReportRefusedException>(() => p.Get<ReportStore>().RequestAsync(
            new ReportApplication(Codes[2], ReportKinds.Public, null, "李四", "13800001111", "投标"), Public));

        ex.Refusal.Code.ShouldBe("subject-not-found");
    }

    [Theory, DatabaseProviders]
    public async Task FindRequestAsync_WrongToken_ReturnsNothing(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);
        var store = p.Get<ReportStore>();
        var opened = await store.RequestAsync(new ReportApplication(Codes[0], ReportKinds.Public, null, "李四", "13800001111", "投标"), Public);

        (await store.FindRequestAsync(opened.Request.Reference, opened.Token)).ShouldNotBeNull();
        (await store.FindRequestAsync(opened.Request.Reference, opened.Token + "x")).ShouldBeNull();
        (await store.FindRequestAsync(opened.Request.Reference, null)).ShouldBeNull();
    }

    [Theory, DatabaseProviders]
    public async Task CountsAsync_ByMonth_CountsRequestsIssuedAndRejected(string provider)
    {
        using var dir = new TempDir();
        await using var p = await LoadAsync(provider, dir);
        var store = p.Get<ReportStore>();
        p.Clock.Now = new DateTimeOffset(2026, 10, 15, 10, 0, 0, TimeSpan.FromHours(8));
        await IssueAsync(p, Codes[0]);
        var rejected = await store.RequestAsync(new ReportApplication(Codes[1], ReportKinds.Public, null, "李四", "13800001111", "投标"), Public);
        await store.RejectAsync(rejected.Request.Id, "申请材料不全", Staff);
        p.Clock.Now = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
        await IssueAsync(p, Codes[0], ReportKinds.Purpose, "tax");
        await IssueAsync(p, Codes[1]);

        var counts = await store.CountsAsync(new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 30), ReportPeriod.Month);

        counts.Select(c => (c.Start.Month, c.Requested, c.Rejected, c.IssuedPublic, c.IssuedPurpose)).ShouldBe([(9, 0, 0, 0, 0), (10, 2, 1, 1, 0), (11, 2, 0, 1, 1)]);
    }
}
