using Dapper;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Measures;
using Xinyong.Data.Lists;
using Xinyong.Data.Measures;
using Xinyong.Data.Tests.Infrastructure;
using static Xinyong.Data.Tests.Measures.MeasureFixtures;

namespace Xinyong.Data.Tests.Measures;

public sealed class MeasureQueriesTests
{
    private static readonly DateOnly Listed = new(2026, 10, 9);

    private static async Task<(long DeptId, Core.Auditing.Actor Actor)> DeptAsync(TestPlatform p, string code)
    {
        var a = await SystemOfAsync(p, code);
        return (a.DepartmentId!.Value, a);
    }

    [Theory, DatabaseProviders]
    public async Task AskAsync_CompanyOnDefaulterList_StoresMeasureWithEntryBasisDueDateAndAudit(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var uscc = Code(1);
        var company = await SubjectAsync(p, "昆山某某建材有限公司", uscc);
        var entry = await DefaulterAsync(p, company, "（2026）苏0583执1234号", Listed);
        var (czj, actor) = await DeptAsync(p, "czj");

        var answer = await p.Get<MeasureQueries>().AskAsync(new MeasureQuestion(czj, "procurement", "KSCG-2026-118", "办公家具采购", uscc.ToLowerInvariant(), null), actor);

        answer.SubjectId.ShouldBe(company);
        answer.AskedOn.ShouldBe(new DateOnly(2026, 11, 20));
        answer.DueOn.ShouldBe(new DateOnly(2026, 12, 4)); // 10 working days
        answer.Status.ShouldBe(MeasureQueryStatus.Open);
        var item = answer.Items.ShouldHaveSingleItem();
        item.MeasureId.ShouldBe("P-PROC-01");
        item.LegalBasis.ShouldContain("政府采购法");
        var basis = item.Basis.ShouldHaveSingleItem();
        basis.EntryId.ShouldBe(entry);
        basis.ListNameZh.ShouldBe("失信被执行人名单");
        basis.DecisionNumber.ShouldBe("（2026）苏0583执1234号");
        basis.ViaRole.ShouldBeNull();
        (await p.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'measures.query' AND entity_id = @id", new { id = answer.Id.ToString() })).ShouldBe(1);
        (await p.Get<MeasureQueries>().GetAsync(answer.Id))!.Items.Single().Basis.Single().EntryId.ShouldBe(entry);
    }

    [Theory, DatabaseProviders]
    public async Task AskAsync_LegalRepresentativeByIdNumber_ReachedThroughTheEntityOnlyByExtendingMeasures(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var company = await SubjectAsync(p, "昆山某某贸易有限公司", Code(2));
        var person = await SubjectAsync(p, "张三丰", null, "natural_person", PersonId);
        var entry = await DefaulterAsync(p, company, "（2026）苏0583执77号", Listed);
        await p.Get<SubjectRoleStore>().AddAsync(company, person, "法定代表人", new DateOnly(2018, 1, 1), "registration", CreditOffice);
        var (jt, jtActor) = await DeptAsync(p, "jtysj");
        var (czj, czjActor) = await DeptAsync(p, "czj");
        var queries = p.Get<MeasureQueries>();

        var consumption = await queries.AskAsync(new MeasureQuestion(jt, "high-consumption", null, null, PersonId, null), jtActor);
        var item = consumption.Items.ShouldHaveSingleItem();
        item.MeasureId.ShouldBe("P-CONS-01");
        item.Basis.Single().EntryId.ShouldBe(entry);
        item.Basis.Single().ViaRole.ShouldBe(SubjectRoles.LegalRepresentative);
        item.Basis.Single().SubjectName.ShouldBe("昆山某某贸易有限公司");
        consumption.SubjectQuery.ShouldNotContain("19491231");

        var procurement = await queries.AskAsync(new MeasureQuestion(czj, "procurement", null, null, PersonId, null), czjActor);
        procurement.Items.ShouldBeEmpty();
        procurement.Status.ShouldBe(MeasureQueryStatus.NothingToReport);
    }

    [Theory, DatabaseProviders]
    public async Task AskAsync_NameOfTwoSubjects_RefusedWithBothCandidatesAndAudited(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var a = await SubjectAsync(p, "昆山宏达机械有限公司", Code(3));
        var b = await SubjectAsync(p, "昆山宏达机械有限公司", Code(4));
        var (czj, actor) = await DeptAsync(p, "czj");
        var queries = p.Get<MeasureQueries>();

        var ex = await Should.ThrowAsync<SubjectNotResolvedException>(() => queries.AskAsync(new MeasureQuestion(czj, "procurement", null, null, null, "昆山宏达机械有限公司"), actor));
        ex.Code.ShouldBe("subject-ambiguous");
        ex.Candidates.Select(c => c.Id).ShouldBe([a, b], ignoreOrder: true);
        (await p.ScalarAsync("SELECT COUNT(*) FROM measure_queries")).ShouldBe(0);
        (await p.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'measures.query_refused'")).ShouldBe(1);

        var similar = await Should.ThrowAsync<SubjectNotResolvedException>(() => queries.AskAsync(new MeasureQuestion(czj, "procurement", null, null, null, "宏达机械"), actor));
        similar.Code.ShouldBe("subject-not-found");
        similar.Candidates.Count.ShouldBe(2);

        var unknownMatter = await Should.ThrowAsync<RefusedException>(() => queries.AskAsync(new MeasureQuestion(czj, "lottery", null, null, Code(3), null), actor));
        unknownMatter.Code.ShouldBe("unknown-matter-kind");
    }

    [Theory, DatabaseProviders]
    public async Task ReportAsync_UnknownQueryOrMeasure_RefusedAndNothingStored(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var uscc = Code(5);
        var company = await SubjectAsync(p, "昆山某某科技有限公司", uscc);
        await DefaulterAsync(p, company, "（2026）苏0583执5号", Listed);
        var (czj, actor) = await DeptAsync(p, "czj");
        var queries = p.Get<MeasureQueries>();
        var q = await queries.AskAsync(new MeasureQuestion(czj, "procurement", null, null, uscc, null), actor);

        (await Should.ThrowAsync<RefusedException>(() => queries.ReportAsync(q.Id + 1000, czj, [new MeasureReport("P-PROC-01", true, "拒绝其参加采购", null)], actor)))
            .Code.ShouldBe("query-not-found");
        (await Should.ThrowAsync<RefusedException>(() => queries.ReportAsync(q.Id, czj,
            [new MeasureReport("P-PROC-01", true, "拒绝其参加采购", null), new MeasureReport("P-NOPE", true, "x", null)], actor))).Code.ShouldBe("measure-not-found");
        var other = await SystemOfAsync(p, "zjj");
        (await Should.ThrowAsync<RefusedException>(() => queries.ReportAsync(q.Id, other.DepartmentId, [new MeasureReport("P-PROC-01", true, "x", null)], other)))
            .Code.ShouldBe("not-your-query");
        // The valid report in the refused request was not kept.
        (await queries.GetAsync(q.Id))!.Items.Single().Applied.ShouldBeNull();
        (await p.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'measures.feedback'")).ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task ReportAsync_AllMeasuresReported_AnsweredOnceAndCountedInStatistics(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var u1 = Code(6);
        var u2 = Code(7);
        var c1 = await SubjectAsync(p, "昆山甲公司", u1);
        var c2 = await SubjectAsync(p, "昆山乙公司", u2);
        await DefaulterAsync(p, c1, "（2026）苏0583执6号", Listed);
        await DefaulterAsync(p, c2, "（2026）苏0583执7号", Listed);
        var (czj, actor) = await DeptAsync(p, "czj");
        var queries = p.Get<MeasureQueries>();
        var q1 = await queries.AskAsync(new MeasureQuestion(czj, "subsidy", "稳岗返还-1", null, u1, null), actor);
        var q2 = await queries.AskAsync(new MeasureQuestion(czj, "procurement", null, null, u2, null), actor);
        q1.Items.Single().MeasureId.ShouldBe("P-SUB-01");

        var r = await queries.ReportAsync(q1.Id, czj, [new MeasureReport("P-SUB-01", false, null, "经核实该企业已履行完毕，法院正在办理移出")], actor);
        r.Status.ShouldBe(MeasureQueryStatus.Answered);
        r.AnsweredOn.ShouldBe(new DateOnly(2026, 11, 20));
        (await Should.ThrowAsync<RefusedException>(() => queries.ReportAsync(q1.Id, czj, [new MeasureReport("P-SUB-01", true, "不予补贴", null)], actor)))
            .Code.ShouldBe("already-answered");

        // Ten working days later q2 is still due; the eleventh it is overdue.
        p.Clock.Now = new DateTimeOffset(2026, 12, 4, 17, 0, 0, TimeSpan.FromHours(8));
        (await queries.GetAsync(q2.Id))!.Status.ShouldBe(MeasureQueryStatus.Open);
        p.Clock.Now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));
        (await queries.GetAsync(q2.Id))!.Status.ShouldBe(MeasureQueryStatus.Overdue);
        (await queries.ListAsync(czj, MeasureQueryStatus.Overdue)).Single().Id.ShouldBe(q2.Id);

        var stats = (await p.Get<MeasureStatistics>().ByDepartmentAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30))).Single();
        stats.Queries.ShouldBe(2);
        stats.QueriesAnswered.ShouldBe(1);
        stats.QueriesAnsweredOnTime.ShouldBe(1);
        stats.QueriesOverdue.ShouldBe(1);
        stats.Measures.ShouldBe(2);
        stats.NotApplied.ShouldBe(1);
        stats.Applied.ShouldBe(0);
        stats.FeedbackRate.ShouldBe(0.5);
        (await p.Get<MeasureStatistics>().ByDepartmentAsync(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31))).ShouldBeEmpty();
    }

    [Theory, DatabaseProviders]
    public async Task AskAsync_EntryEndedOrLenientRules_MeasuresStopOrWithheldAndHonoured(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var uscc = Code(8);
        var company = await SubjectAsync(p, "昆山某某口罩有限公司", uscc);
        var defaulter = await DefaulterAsync(p, company, "（2026）苏0583执8号", Listed);
        var (czj, actor) = await DeptAsync(p, "czj");
        var queries = p.Get<MeasureQueries>();
        var lenient = p.Get<LenientRuleStore>();
        MeasureQuestion Ask() => new(czj, "procurement", null, null, uscc, null);

        var exemption = await lenient.CreateAsync(new LenientRuleDraft(LenientKinds.MinorExemption, company, defaulter, "《关于进一步加强疫情防控期间信用管理和服务工作的通知》（昆信用办〔2020〕2号）",
            "因参与疫情防控物资生产导致合同逾期", new DateOnly(2026, 11, 20), null), CreditOffice);
        var withheld = await queries.AskAsync(Ask(), actor);
        var item = withheld.Items.ShouldHaveSingleItem();
        item.Withheld.ShouldBeTrue();
        item.WithheldBy.Single().RuleId.ShouldBe(exemption.Id);
        item.Basis.Single().EntryId.ShouldBe(defaulter);
        withheld.Status.ShouldBe(MeasureQueryStatus.NothingToReport);
        (await Should.ThrowAsync<RefusedException>(() => queries.ReportAsync(withheld.Id, czj, [new MeasureReport("P-PROC-01", false, null, "豁免")], actor)))
            .Code.ShouldBe("measure-withheld");
        (await p.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'lenient_rule.create'")).ShouldBe(1);

        await lenient.RevokeAsync(exemption.Id, "经复核不属于轻微失信", CreditOffice);
        p.Clock.Now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));
        (await queries.AskAsync(Ask(), actor)).Items.Single().Withheld.ShouldBeFalse();

        var suspension = await lenient.CreateAsync(new LenientRuleDraft(LenientKinds.ForceMajeure, company, null, "昆信用办〔2020〕2号",
            "受疫情不可抗力影响停产", new DateOnly(2026, 11, 23), new DateOnly(2026, 12, 1)), CreditOffice);
        (await queries.AskAsync(Ask(), actor)).Items.Single().WithheldBy.Single().Kind.ShouldBe(LenientKinds.ForceMajeure);
        p.Clock.Now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
        (await queries.AskAsync(Ask(), actor)).Items.Single().Withheld.ShouldBeFalse();
        suspension.ValidUntil.ShouldBe(new DateOnly(2026, 12, 1));

        // Ending the listing (exit) stops its measures with no further work.
        var court = await SystemOfAsync(p, "fy");
        await p.Get<ListStore>().EndAsync(defaulter, ListEndReasons.ExitConditions, "已全部履行", court);
        (await queries.AskAsync(Ask(), actor)).Items.ShouldBeEmpty();
    }

    [Theory, DatabaseProviders]
    public async Task CatalogueImport_NewVersion_UsedByNextQuestionAndTakenLabelRefused(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<MeasureCatalogueStore>();
        var current = await store.CurrentAsync();
        current.Version.ShouldBe("2026-12-starter");
        var names = await store.DepartmentNamesAsync();
        using var sheet = new MemoryStream();
        var trimmed = MeasureCatalogue.Build("x", new DateOnly(2026, 12, 1),
            [(null, new MeasureCatalogue.MeasureDto { Id = "P-LOCAL-01", Kind = "惩戒", Nature = "行政性", TextZh = "暂停政府采购资格一年", LegalBasis = "《政府采购法》第二十二条",
                Departments = ["czj"], ListTypes = ["serious-dishonesty-tax"], MatterKinds = ["procurement"], ExtendsTo = [], EffectiveFrom = new DateOnly(2026, 1, 1) })],
            store.Types, names.Keys.ToList());
        MeasureCatalogueSheet.Write(trimmed, store.Types, names, sheet);
        sheet.Position = 0;

        var imported = await store.ImportXlsxAsync(sheet, "清单.xlsx", "2026-第2版", new DateOnly(2026, 11, 18), CreditOffice);
        imported.All.Single().Id.ShouldBe("P-LOCAL-01");
        (await store.VersionsAsync()).Single().Version.ShouldBe("2026-第2版");
        (await p.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'measures.catalogue.import'")).ShouldBe(1);

        var uscc = Code(9);
        var company = await SubjectAsync(p, "昆山某某电子有限公司", uscc);
        await TaxBlackAsync(p, company, "苏税稽罚〔2026〕9号", Listed);
        var (czj, actor) = await DeptAsync(p, "czj");
        var answer = await p.Get<MeasureQueries>().AskAsync(new MeasureQuestion(czj, "procurement", null, null, uscc, null), actor);
        answer.CatalogueVersion.ShouldBe("2026-第2版");
        answer.Items.Single().MeasureId.ShouldBe("P-LOCAL-01");

        sheet.Position = 0;
        (await Should.ThrowAsync<RefusedException>(() => store.ImportXlsxAsync(sheet, "again.xlsx", "2026-第2版", null, CreditOffice))).Code.ShouldBe("version-taken");
    }

    [Theory, DatabaseProviders]
    public async Task LenientRules_EntryOfAnotherSubject_Refused(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var a = await SubjectAsync(p, "昆山甲乙有限公司", Code(10));
        var b = await SubjectAsync(p, "昆山丙丁有限公司", Code(11));
        var entry = await DefaulterAsync(p, a, "（2026）苏0583执10号", Listed);
        var ex = await Should.ThrowAsync<RefusedException>(() => p.Get<LenientRuleStore>().CreateAsync(
            new LenientRuleDraft(LenientKinds.MinorExemption, b, entry, "昆信用办〔2020〕2号", "理由", new DateOnly(2026, 11, 20), null), CreditOffice));
        ex.Code.ShouldBe("list-entry-other-subject");
        (await p.ScalarAsync("SELECT COUNT(*) FROM lenient_rules")).ShouldBe(0);
    }
}
