using Xinyong.Core.Auditing;
using Xinyong.Core.Commitments;
using Xinyong.Core.Objections;
using Xinyong.Core.Reports;
using Xinyong.Data.Commitments;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Lists;
using Xinyong.Data.Objections;
using Xinyong.Data.Publication;
using Xinyong.Data.Reports;
using Xinyong.Data.Subjects;
using Xinyong.Data.Tests.Commitments;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Reports;

/// <summary>The content sections of a report: commitments, lists and honours with content, and the 异议中 flag.</summary>
public sealed class ReportSectionsTests
{
    private static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(4, seed: 73);
    private static readonly DateOnly Today = new(2026, 11, 20);
    private static readonly Actor Staff = new(ActorKind.User, "report-officer");
    private const string TaxBasis = "《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）第六条";

    private static async Task<IssuedReport> IssueAsync(TestPlatform p, string code, string kind = ReportKinds.Public, string? purpose = null)
    {
        var store = p.Get<ReportStore>();
        var opened = await store.RequestAsync(new ReportApplication(code, kind, purpose, "李四", "13800001111", "投标"), new Actor(ActorKind.System, "public-site"));
        return await store.IssueAsync(opened.Request.Id, Staff, new TextRenderer());
    }

    private static async Task<long> ListAsync(TestPlatform p, long subject, string listType, string number, string grounds, string basis, DateOnly decidedOn)
    {
        var tax = await CommitmentStoreTests.OfficerAsync(p, "swj");
        var (entry, _) = await p.Get<ListStore>().RecordDecidedAsync(new ListDecision(listType, subject, 0, grounds, number, basis, number, decidedOn), tax);
        return entry.Id;
    }

    private static Dictionary<string, string> FieldsOf(ReportItem item) => item.Fields.ToDictionary(f => f.Label, f => f.Value);

    [Theory, DatabaseProviders]
    public async Task Compose_SubjectWithTwoCommitments_BothWithKindMatterStateDepartmentAndHashCoversThem(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var subject = await CommitmentStoreTests.SubjectAsync(p, "昆山市某某食品有限公司", Codes[0]);
        var market = await CommitmentStoreTests.OfficerAsync(p, "scjgj");
        var commitments = p.Get<CommitmentStore>();
        var (voluntary, _) = await commitments.RegisterAsync(CommitmentStoreTests.Draft(subject) with { Content = "严格遵守食品安全法律法规，诚信经营。" }, market, publish: true);
        var (replacing, _) = await commitments.RegisterAsync(CommitmentStoreTests.Draft(subject, "approval-replacing", "食品经营许可（仅销售预包装食品）")
            with { Content = "经营场所符合食品经营许可条件，三十日内补交平面图。", DueOn = Today.AddDays(30) }, market, publish: true);
        await commitments.FulfilAsync(replacing.Id, "已补交材料", market);

        var issued = await IssueAsync(p, Codes[0]);
        var content = issued.Read();

        var section = content.Sections.Single(s => s.Id == "commitments");
        section.Title.ShouldBe("五、信用承诺信息");
        section.Count.ShouldBe(2);
        section.Empty.ShouldBeNull();
        var byKind = section.Items.ToDictionary(i => i.Title, FieldsOf);
        byKind.Keys.ShouldBe(["主动型承诺", "审批替代型承诺（告知承诺）"], ignoreOrder: true);
        byKind["主动型承诺"]["履约状态"].ShouldBe("履约中");
        byKind["主动型承诺"]["承诺内容"].ShouldBe("严格遵守食品安全法律法规，诚信经营。");
        byKind["主动型承诺"]["受理部门"].ShouldBe("市场监管局");
        byKind["主动型承诺"]["承诺日期"].ShouldBe("2026年11月20日");
        byKind["审批替代型承诺（告知承诺）"]["履约状态"].ShouldBe("已履约");
        byKind["审批替代型承诺（告知承诺）"]["办理事项"].ShouldBe("食品经营许可（仅销售预包装食品）");
        byKind["审批替代型承诺（告知承诺）"]["履约期限"].ShouldBe("2026年12月20日");
        byKind["审批替代型承诺（告知承诺）"]["履约确认日期"].ShouldBe("2026年11月20日");
        content.Notes.ShouldNotContain(n => n.Contains("尚未归集", StringComparison.Ordinal));
        content.RulesVersion.ShouldContain("commitments ");

        // The hash is over the commitments too: the same report with one commitment's text changed does not verify.
        CanonicalJson.Sha256Hex(CanonicalJson.Serialize(content)).ShouldBe(issued.ContentSha256);
        var altered = content with
        {
            Sections = content.Sections.Select(s => s.Id != "commitments" ? s : s with
            {
                Items = s.Items.Select(i => i with { Fields = i.Fields.Select(f => f.Label == "履约状态" ? f with { Value = "已履约" } : f).ToList() }).ToList(),
            }).ToList(),
        };
        var alteredHash = CanonicalJson.Sha256Hex(CanonicalJson.Serialize(altered));
        alteredHash.ShouldNotBe(issued.ContentSha256);
        var verifier = p.Get<ReportVerifier>();
        (await verifier.VerifyAsync(issued.Number, issued.ContentSha256)).Outcome.ShouldBe(VerificationOutcome.Authentic);
        (await verifier.VerifyAsync(issued.Number, alteredHash)).Outcome.ShouldBe(VerificationOutcome.HashMismatch);
    }

    [Theory, DatabaseProviders]
    public async Task Compose_ConfirmedBreach_CommitmentShowsBreachWithBasisPeriodAndRepair(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var subject = await CommitmentStoreTests.SubjectAsync(p, "昆山市某某餐饮有限公司", Codes[1]);
        var market = await CommitmentStoreTests.OfficerAsync(p, "scjgj");
        var commitments = p.Get<CommitmentStore>();
        var (c, _) = await commitments.RegisterAsync(CommitmentStoreTests.Draft(subject, "approval-replacing", "食品经营许可（仅销售预包装食品）"), market, publish: true);
        await commitments.SuspectBreachAsync(c.Id, "事后核查发现经营场所与承诺不符", market);
        await commitments.ConfirmBreachAsync(c.Id, new BreachFinding("昆市监违诺〔2026〕3号", "事后核查发现申请人不具备承诺的经营场所条件",
            "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）", null), market);

        var content = (await IssueAsync(p, Codes[1])).Read();

        var item = content.Sections.Single(s => s.Id == "commitments").Items.Single();
        var fields = FieldsOf(item);
        fields["履约状态"].ShouldBe("已违诺");
        fields["违诺认定"].ShouldBe("昆市监违诺〔2026〕3号（2026年11月20日）");
        fields["违诺事实"].ShouldBe("事后核查发现申请人不具备承诺的经营场所条件");
        fields["认定依据"].ShouldContain("国办发〔2020〕42号");
        fields["失信程度"].ShouldBe("严重");
        fields["公示期限"].ShouldBe("2026年11月20日至2029年11月19日");
        fields["信用修复"].ShouldStartWith("最短公示期满后（2027年11月20日起）");
        content.Sections.Single(s => s.Id == "penalties").Count.ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task Compose_RedAndBlackListed_HonoursAndListsWithDepartmentBasisPeriodAndRemedy(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var honoured = await CommitmentStoreTests.SubjectAsync(p, "昆山市某某精密制造有限公司", Codes[2]);
        var listed = await CommitmentStoreTests.SubjectAsync(p, "昆山市某某贸易有限公司", Codes[3]);
        await ListAsync(p, honoured, "a-grade-taxpayer", "昆税信〔2026〕7号", "2025年度纳税信用评价为A级", "《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）",
            new DateOnly(2026, 4, 30));
        await ListAsync(p, listed, "serious-dishonesty-tax", "昆税稽罚〔2026〕15号", "虚开增值税专用发票，税额120万元", TaxBasis, new DateOnly(2026, 6, 1));

        var red = (await IssueAsync(p, Codes[2])).Read();
        var black = (await IssueAsync(p, Codes[3])).Read();

        red.Sections.Single(s => s.Id == "lists").Count.ShouldBe(0);
        var honour = red.Sections.Single(s => s.Id == "honours").Items.Single();
        honour.Title.ShouldBe("纳税信用A级纳税人名单");
        var h = FieldsOf(honour);
        h["名单类别"].ShouldBe("守信激励名单（红名单）");
        h["认定部门"].ShouldBe("税务局");
        h["认定依据"].ShouldBe("《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）");
        h["列入期限"].ShouldBe("2026年4月30日至2027年4月29日");
        h.ShouldNotContainKey("救济途径");

        black.Sections.Single(s => s.Id == "honours").Count.ShouldBe(0);
        var entry = black.Sections.Single(s => s.Id == "lists").Items.Single();
        entry.Title.ShouldBe("重大税收违法失信主体名单");
        var b = FieldsOf(entry);
        b["名单类别"].ShouldBe("严重失信主体名单（黑名单）");
        b["认定部门"].ShouldBe("税务局");
        b["列入决定文号"].ShouldBe("昆税稽罚〔2026〕15号");
        b["列入事由"].ShouldBe("虚开增值税专用发票，税额120万元");
        b["认定依据"].ShouldBe(TaxBasis);
        b["列入期限"].ShouldBe("2026年6月1日至2029年5月31日");
        b["移出条件"].ShouldNotBeNullOrWhiteSpace();
        b["救济途径"].ShouldBe("可依法申请行政复议或提起行政诉讼；可向税务机关提出异议或申请信用修复。");
    }

    [Theory, DatabaseProviders]
    public async Task ComposePurpose_BlackListedInTheField_ConclusionStatesTheListingOtherFieldClear(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var listed = await CommitmentStoreTests.SubjectAsync(p, "昆山市某某贸易有限公司", Codes[3]);
        await ListAsync(p, listed, "serious-dishonesty-tax", "昆税稽罚〔2026〕15号", "虚开增值税专用发票，税额120万元", TaxBasis, new DateOnly(2026, 6, 1));

        var tax = (await IssueAsync(p, Codes[3], ReportKinds.Purpose, "tax")).Read();
        var safety = (await IssueAsync(p, Codes[3], ReportKinds.Purpose, "work-safety")).Read();

        var lists = tax.Sections.Single(s => s.Id == "lists");
        lists.Count.ShouldBe(1);
        lists.Empty.ShouldBeNull();
        FieldsOf(lists.Items.Single())["认定部门"].ShouldBe("税务局");
        var conclusion = tax.Notes.Single(n => n.StartsWith("结论：", StringComparison.Ordinal));
        conclusion.ShouldContain("截至2026年11月20日，该主体被列入“重大税收违法失信主体名单”（严重失信主体名单）");
        conclusion.ShouldContain("本报告不能证明其在该领域无违法违规记录");
        conclusion.ShouldNotContain("未发现该主体在税务领域的违法违规记录");
        safety.Notes.Single(n => n.StartsWith("结论：", StringComparison.Ordinal))
            .ShouldStartWith("结论：经查询，2023年11月21日至2026年11月20日期间，未发现该主体在安全生产领域的违法违规记录。");
    }

    [Theory, DatabaseProviders]
    public async Task Compose_PenaltyAndListEntryUnderObjection_FlaggedOthersNot(string provider)
    {
        using var dir = new TempDir();
        await using var p = await TestPlatform.CreateAsync(provider);
        var dept = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("昆山市某某物流有限公司", Codes[0], "昆市监罚〔2026〕31号", "2026-08-01", "3"))
            .Add(PenaltyFile.Row("昆山市某某物流有限公司", Codes[0], "昆市监罚〔2026〕32号", "2026-09-01", "1"));
        var summary = await p.Get<IngestionRunner>().IngestFileAsync(file.WriteCsv(dir.Path), "penalties.csv", dept.Id, "penalty", "test", new Actor(ActorKind.Cli, "tester", dept.Id));
        await p.Get<PublicationProjector>().ProjectSubmissionAsync(summary.SubmissionId);
        var subject = (await p.Get<SubjectStore>().FindByCodeAsync(Codes[0]))!.Id;
        var penalty = (await p.Get<PublicRecords>().SubjectAsync(subject, Today))!.Penalties.Single(r => r.DecisionNumber == "昆市监罚〔2026〕31号");
        var entry = await ListAsync(p, subject, "serious-dishonesty-tax", "昆税稽罚〔2026〕16号", "逃避追缴欠税", TaxBasis, new DateOnly(2026, 6, 1));
        var objections = p.Get<ObjectionStore>();
        var actor = new Actor(ActorKind.User, "public:" + Codes[0]);
        await objections.FileAsync(new ObjectionFiling(subject, ObjectionTargetKind.Record, penalty.RecordId, 0, "online", "王经理", "0512-55550001", "罚款金额有误", actor.Name), actor);
        await objections.FileAsync(new ObjectionFiling(subject, ObjectionTargetKind.ListEntry, entry, 0, "online", "王经理", "0512-55550001", "已缴清欠税", actor.Name), actor);

        var content = (await IssueAsync(p, Codes[0])).Read();
        var tax = (await IssueAsync(p, Codes[0], ReportKinds.Purpose, "tax")).Read();

        var penalties = content.Sections.Single(s => s.Id == "penalties").Items.ToDictionary(i => i.Title);
        penalties["昆市监罚〔2026〕31号"].Flag.ShouldBe("异议中");
        FieldsOf(penalties["昆市监罚〔2026〕31号"])["异议状态"].ShouldStartWith("异议中");
        penalties["昆市监罚〔2026〕32号"].Flag.ShouldBeNull();
        FieldsOf(penalties["昆市监罚〔2026〕32号"])["处罚类别"].ShouldBe("警告、罚款");
        FieldsOf(penalties["昆市监罚〔2026〕32号"]).ShouldNotContainKey("异议状态");
        content.Sections.Single(s => s.Id == "lists").Items.Single().Flag.ShouldBe("异议中");
        content.Notes.ShouldContain(n => n.StartsWith("本报告中有 2 条信息标注“异议中”", StringComparison.Ordinal));
        tax.Sections.Single(s => s.Id == "lists").Items.Single().Flag.ShouldBe("异议中");
    }
}
