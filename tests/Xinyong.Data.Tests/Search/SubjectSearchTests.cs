using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Normalization;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Search;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Identifiers;

namespace Xinyong.Data.Tests.Search;

public sealed class SubjectSearchTests
{
    private static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(6, seed: 31);
    private const string PersonId = "11010519491231002X";

    /// <summary>Three enterprises, one with a registration number, and a natural person, ingested as a department would.</summary>
    private static async Task<(TestPlatform P, string Registration)> StartAsync(string provider)
    {
        var p = await TestPlatform.CreateAsync(provider);
        var dept = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        var registration = CodeGenerator.NextRegistrationNumber(new Random(5), "320583").Value;
        var file = new PenaltyFile();
        file.Header.Add("CF_XDR_GSZC");
        var withRegistration = PenaltyFile.Row("昆山恒达机械制造有限公司", Codes[0], "昆市监处罚〔2026〕1号");
        withRegistration["CF_XDR_GSZC"] = registration;
        file.Add(withRegistration)
            .Add(PenaltyFile.Row("昆山恒达机械制造有限责任公司", Codes[1], "昆市监处罚〔2026〕2号"))
            .Add(PenaltyFile.Row("苏州华鑫餐饮管理有限公司", Codes[2], "昆市监处罚〔2026〕3号"));
        var person = PenaltyFile.Row("张三丰", null!, "昆市监处罚〔2026〕4号");
        person["CF_XDR_LB"] = "自然人";
        person["CF_XDR_ZJLX"] = "身份证";
        person["CF_XDR_ZJHM"] = PersonId;
        file.Add(person);
        using var dir = new TempDir();
        var path = file.WriteCsv(dir.Path);
        var summary = await p.Get<IngestionRunner>().IngestFileAsync(path, "penalties.csv", dept.Id, "penalty", "test", new Actor(ActorKind.Cli, "tester", dept.Id));
        summary.Rejected.ShouldBe(0);
        return (p, registration);
    }

    /// <summary>A subject as older data holds it, written directly: optional credit code and legacy codes.</summary>
    private static async Task<long> InsertSubjectAsync(TestPlatform p, string name, string? uscc, params (string Scheme, string Value)[] identifiers)
    {
        await using var conn = await p.Db.OpenAsync();
        var now = p.Clock.GetUtcNow().UtcDateTime;
        var key = ChineseText.NameKey(name);
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES ('legal_person', @uscc, @name, @key, @now, @now) RETURNING id",
            new { uscc, name, key, now });
        await conn.ExecuteAsync("INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@id, @name, @key, @yes, @now)",
            new { id, name, key, yes = true, now });
        foreach (var (scheme, value) in identifiers)
        {
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES (@scheme, @value, @id, 'test')", new { scheme, value, id });
        }
        return id;
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_CreditCode_ReturnsTheSubjectWithReason(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;

        var r = await p.Get<SubjectSearch>().SearchAsync(" " + Codes[0].ToLowerInvariant() + " ");

        r.Mode.ShouldBe(SubjectSearchMode.Code);
        var hit = r.Items.Single();
        hit.Name.ShouldBe("昆山恒达机械制造有限公司");
        hit.Uscc.ShouldBe(Codes[0]);
        (hit.ReasonCode, hit.ReasonZh, hit.ReasonEn, hit.Score).ShouldBe(("uscc", "统一社会信用代码一致", "same unified social credit code", 1.0));
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_LegacyCodes_FindTheSubject(string provider)
    {
        var (p, registration) = await StartAsync(provider);
        await using var _p = p;
        var search = p.Get<SubjectSearch>();

        var byRegistration = (await search.SearchAsync(registration)).Items.Single();
        byRegistration.Uscc.ShouldBe(Codes[0]);
        byRegistration.ReasonZh.ShouldBe("工商注册号一致");

        var byOrganisation = (await search.SearchAsync(Codes[1][8..16] + "-" + Codes[1][16])).Items.Single();
        byOrganisation.Uscc.ShouldBe(Codes[1]);
        byOrganisation.ReasonZh.ShouldBe("组织机构代码一致");
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_CodesOfOlderData_FindThroughTheOrganisationCode(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;
        var search = p.Get<SubjectSearch>();
        // Known only by its organisation code (before the conversion): a search by its new credit code finds it.
        var legacyOnly = await InsertSubjectAsync(p, "昆山老厂机械有限公司", null, ("org", Codes[3][8..17]));
        // Known by a credit code whose organisation code was never registered separately.
        var usccOnly = await InsertSubjectAsync(p, "昆山新厂机械有限公司", Codes[4]);

        var viaCredit = (await search.SearchAsync(Codes[3])).Items.Single();
        viaCredit.SubjectId.ShouldBe(legacyOnly);
        viaCredit.ReasonCode.ShouldBe("uscc_org");
        viaCredit.ReasonZh.ShouldBe("组织机构代码一致（统一社会信用代码第9-17位）");

        var viaOrganisation = (await search.SearchAsync(Codes[4][8..17])).Items.Single();
        viaOrganisation.SubjectId.ShouldBe(usccOnly);
        viaOrganisation.ReasonCode.ShouldBe("uscc_org");
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_UnknownCode_ReturnsNoSubjectAndNoNameResults(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;

        var r = await p.Get<SubjectSearch>().SearchAsync(Codes[5]);

        (r.Mode, r.Total, r.Items.Count).ShouldBe((SubjectSearchMode.Code, 0, 0));
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_NaturalPerson_OnlyByIdNumberAndMasked(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;
        var search = p.Get<SubjectSearch>();

        (await search.SearchAsync("张三丰")).Items.ShouldBeEmpty();
        var hit = (await search.SearchAsync(PersonId)).Items.Single();
        hit.Kind.ShouldBe("natural_person");
        hit.Name.ShouldBe("张**");
        hit.MatchedName.ShouldBe("张**");
        hit.Uscc.ShouldBeNull();
        hit.MatchedCode.ShouldBeNull();
        hit.ReasonZh.ShouldBe("身份证号码一致");
        var everything = System.Text.Json.JsonSerializer.Serialize(hit);
        everything.ShouldNotContain(PersonId);
        everything.ShouldNotContain("三丰");
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_NameVariants_RankedWithReasons(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;
        var search = p.Get<SubjectSearch>();

        var r = await search.SearchAsync("昆山市 恒达机械制造（有限公司）");

        r.Mode.ShouldBe(SubjectSearchMode.Name);
        r.Items.Select(i => i.Uscc).ShouldBe([Codes[0], Codes[1]]);
        (r.Items[0].ReasonCode, r.Items[0].Score, r.Items[0].ReasonZh).ShouldBe(("exact", 1.0, "名称一致"));
        r.Items[1].ReasonCode.ShouldBe("same_name");
        r.Items[1].ReasonZh.ShouldBe("名称一致，组织形式不同（有限公司/有限责任公司）");
        r.Items[1].Score.ShouldBeLessThan(1.0);
        r.Total.ShouldBe(2);

        var typo = (await search.SearchAsync("苏州华鑫餐饮管里有限公司")).Items[0];
        typo.Uscc.ShouldBe(Codes[2]);
        // 里 for 理: the same sound, as a pinyin input method gets it wrong.
        (typo.ReasonCode, typo.ReasonZh, typo.ReasonEn).ShouldBe(("similar", "名称相近（相差1个同音字）", "similar name (1 character different, same sound)"));
        var otherTypo = (await search.SearchAsync("苏州华鑫餐饮管程有限公司")).Items[0];
        otherTypo.Uscc.ShouldBe(Codes[2]);
        otherTypo.ReasonZh.ShouldBe("名称相近（相差1个字）");
        otherTypo.Score.ShouldBeLessThan(typo.Score);

        var page2 = await search.SearchAsync("恒达机械", page: 2, pageSize: 1);
        page2.Items.Single().Uscc.ShouldBe(Codes[1]);
        page2.Total.ShouldBe(2);
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_FormerName_FoundAndSaidSoAfterRefresh(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;
        var search = p.Get<SubjectSearch>();
        var index = p.Get<SubjectSearchIndex>();
        await index.EnsureLoadedAsync();
        var id = (await search.SearchAsync(Codes[2])).Items.Single().SubjectId;

        p.Clock.Advance(TimeSpan.FromMinutes(5));
        (await p.Get<SubjectNames>().RecordNameAsync(id, "苏州华鑫食品科技有限公司", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc))).ShouldBeTrue();
        (await p.Get<SubjectNames>().RecordNameAsync(id, "苏州华鑫食品科技有限公司", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc))).ShouldBeFalse();
        var change = await index.RefreshAsync();
        change.FullLoad.ShouldBeFalse();
        change.SubjectsChanged.ShouldBe(1);

        var byOld = (await search.SearchAsync("苏州华鑫餐饮管理有限公司")).Items[0];
        byOld.SubjectId.ShouldBe(id);
        byOld.Name.ShouldBe("苏州华鑫食品科技有限公司");
        byOld.MatchedName.ShouldBe("苏州华鑫餐饮管理有限公司");
        byOld.MatchedFormerName.ShouldBeTrue();
        (byOld.ReasonCode, byOld.ReasonZh, byOld.ReasonEn).ShouldBe(("exact_former", "与曾用名一致", "same as a former name"));

        var byNew = (await search.SearchAsync("华鑫食品科技")).Items[0];
        byNew.SubjectId.ShouldBe(id);
        byNew.MatchedFormerName.ShouldBeFalse();
    }

    [Theory, DatabaseProviders]
    public async Task RefreshAsync_NewSubjectsAfterLoad_AreFound(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;
        var search = p.Get<SubjectSearch>();
        var index = p.Get<SubjectSearchIndex>();
        (await search.SearchAsync("太仓新港物流")).Items.ShouldBeEmpty();
        var loaded = index.Current.Count;

        var id = await InsertSubjectAsync(p, "太仓新港物流有限公司", Codes[5]);
        (await search.SearchAsync("太仓新港物流")).Items.ShouldBeEmpty();
        var change = await index.RefreshAsync();

        change.SubjectsChanged.ShouldBe(1);
        index.Current.Count.ShouldBe(loaded + 1);
        var hit = (await search.SearchAsync("太仓新港物流")).Items.Single();
        hit.SubjectId.ShouldBe(id);
        // Nothing new: a refresh changes nothing.
        (await index.RefreshAsync()).SubjectsChanged.ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task SearchAsync_EmptyOrFormOnly_SearchesNothing(string provider)
    {
        var (p, _) = await StartAsync(provider);
        await using var _p = p;
        var search = p.Get<SubjectSearch>();

        (await search.SearchAsync("  ")).Mode.ShouldBe(SubjectSearchMode.None);
        (await search.SearchAsync("（）")).Mode.ShouldBe(SubjectSearchMode.None);
        (await search.SearchAsync("有限公司")).Items.ShouldBeEmpty();
    }
}
