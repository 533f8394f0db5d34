using System.Net.Http.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Commitments;
using Xinyong.Core.Objections;
using Xinyong.Core.Reports;
using Xinyong.Data.Commitments;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Data.Objections;
using Xinyong.Data.Platform;
using Xinyong.Data.Publication;
using Xinyong.Data.Reports;
using Xinyong.Data.Subjects;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Reports;

/// <summary>Commitments, lists, honours and the 异议中 flag as printed in the issued PDF (pdftotext).</summary>
public sealed class ReportSectionsPdfTests
{
    private const string TaxBasis = "《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）第六条";
    private const string GradeBasis = "《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）";

    private static async Task<Actor> OfficerAsync(WebHost host, string code) =>
        new(ActorKind.User, "officer-" + code, (await host.Get<DepartmentStore>().FindAsync(code))!.Id);

    private static async Task<long> SubjectAsync(WebHost host, string code) => (await host.Get<SubjectStore>().FindByCodeAsync(code))!.Id;

    private static async Task ListAsync(WebHost host, long subject, string listType, string number, string grounds, string basis, DateOnly decidedOn) =>
        await host.Get<ListStore>().RecordDecidedAsync(new ListDecision(listType, subject, 0, grounds, number, basis, number, decidedOn), await OfficerAsync(host, "swj"));

    private static async Task<(ReportFixture.Issued Issued, string Text)> IssueAsync(WebHost host, string code, string kind = "public", string? purpose = null)
    {
        var anonymous = host.CreateClient();
        var admin = await ReportFixture.SignInAsync(host, PlatformSetup.DemoAdminUser);
        var (reference, token) = await ReportFixture.RequestAsync(anonymous, code, kind, purpose);
        var issued = await ReportFixture.IssueAsync(admin, host, reference);
        return (issued, ReportFixture.FlatPdfText(await anonymous.GetByteArrayAsync($"/api/v1/reports/{issued.Number}/pdf?token={token}")));
    }

    [Theory, DatabaseProviders]
    public async Task PublicReportPdf_TwoCommitmentsHonourAndObjection_PrintedAndCoveredByTheHash(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var today = host.Get<ReportStore>().Today;
        var subject = await SubjectAsync(host, ReportFixture.Codes[0]);
        var market = await OfficerAsync(host, "scjgj");
        var commitments = host.Get<CommitmentStore>();
        await commitments.RegisterAsync(new CommitmentDraft("voluntary", subject, 0, "严格遵守产品质量法律法规，诚信经营，接受社会监督。", null, today, null,
            CommitmentChannels.Form), market, publish: true);
        var (replacing, _) = await commitments.RegisterAsync(new CommitmentDraft("approval-replacing", subject, 0, "生产场所符合工业产品生产许可条件，三十日内补交检验报告。",
            "工业产品生产许可证核发", today, today.AddDays(30), CommitmentChannels.Form), market, publish: true);
        await commitments.FulfilAsync(replacing.Id, "已补交检验报告", market);
        var gradeFrom = today.AddDays(-30);
        await ListAsync(host, subject, "a-grade-taxpayer", "昆税信〔2026〕7号", "2025年度纳税信用评价为A级", GradeBasis, gradeFrom);
        var penalty = (await host.Get<PublicRecords>().SubjectAsync(subject, today))!.Penalties.Single(r => r.DecisionNumber == "昆市监罚〔2025〕22号");
        var citizen = new Actor(ActorKind.User, "public:" + ReportFixture.Codes[0]);
        await host.Get<ObjectionStore>().FileAsync(new ObjectionFiling(subject, ObjectionTargetKind.Record, penalty.RecordId, 0, "online", "王经理", "0512-55550001",
            "罚款金额有误", citizen.Name), citizen);

        var (issued, text) = await IssueAsync(host, ReportFixture.Codes[0]);

        text.ShouldContain("五、信用承诺信息（2条）");
        text.ShouldContain("主动型承诺");
        text.ShouldContain("严格遵守产品质量法律法规，诚信经营，接受社会监督。");
        text.ShouldContain("审批替代型承诺（告知承诺）");
        text.ShouldContain("生产场所符合工业产品生产许可条件，三十日内补交检验报告。");
        text.ShouldContain("办理事项工业产品生产许可证核发");
        text.ShouldContain("履约状态履约中");
        text.ShouldContain("履约状态已履约");
        text.ShouldContain("受理部门市场监管局");
        text.ShouldContain("承诺日期" + ReportComposer.Date(today));
        text.ShouldNotContain("尚未归集");
        text.ShouldContain("六、荣誉及守信激励信息（1条）");
        text.ShouldContain("纳税信用A级纳税人名单");
        text.ShouldContain("认定部门税务局");
        text.ShouldContain("认定依据" + GradeBasis);
        text.ShouldContain($"列入期限{ReportComposer.Date(gradeFrom)}至{ReportComposer.Date(gradeFrom.AddMonths(12).AddDays(-1))}");
        text.ShouldContain("昆市监罚〔2025〕22号异议中");
        text.ShouldNotContain("昆市监罚〔2025〕21号异议中");
        text.ShouldContain("本报告中有1条信息标注“异议中”");

        // Verification covers the commitments: a copy with one commitment changed does not verify, nor does a changed stored record.
        var anonymous = host.CreateClient();
        var content = (await host.Get<ReportStore>().GetAsync(issued.Number))!.Read();
        var altered = content with
        {
            Sections = content.Sections.Select(s => s.Id != "commitments" ? s : s with
            {
                Items = s.Items.Select(i => i with { Fields = i.Fields.Select(f => f.Label == "履约状态" ? f with { Value = "已违诺" } : f).ToList() }).ToList(),
            }).ToList(),
        };
        (await ReportsApiTests.VerifyAsync(anonymous, issued.Number, issued.ContentSha256)).Authentic.ShouldBeTrue();
        (await ReportsApiTests.VerifyAsync(anonymous, issued.Number, CanonicalJson.Sha256Hex(CanonicalJson.Serialize(altered)))).Outcome.ShouldBe("HashMismatch");
        await using (var conn = await host.Get<XinyongDatabase>().OpenAsync())
        {
            (await conn.ExecuteAsync("UPDATE reports SET content = REPLACE(content, '三十日内补交检验报告', '六十日内补交检验报告') WHERE number = @n", new { n = issued.Number }))
                .ShouldBe(1);
        }
        (await ReportsApiTests.VerifyAsync(anonymous, issued.Number, issued.ContentSha256)).Outcome.ShouldBe("StoredRecordDamaged");
    }

    [Theory, DatabaseProviders]
    public async Task BlackListedSubject_PublicAndTaxPurposePdfs_StateListDepartmentBasisPeriodRemedyAndResult(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var today = host.Get<ReportStore>().Today;
        var subject = await SubjectAsync(host, ReportFixture.Codes[1]);
        var listedFrom = today.AddDays(-60);
        await ListAsync(host, subject, "serious-dishonesty-tax", "昆税稽罚〔2026〕15号", "虚开增值税专用发票，税额120万元", TaxBasis, listedFrom);
        var period = $"列入期限{ReportComposer.Date(listedFrom)}至{ReportComposer.Date(listedFrom.AddMonths(36).AddDays(-1))}";

        var (_, report) = await IssueAsync(host, ReportFixture.Codes[1]);
        var (_, tax) = await IssueAsync(host, ReportFixture.Codes[1], "purpose", "tax");
        var (_, safety) = await IssueAsync(host, ReportFixture.Codes[1], "purpose", "work-safety");

        report.ShouldContain("四、严重失信主体名单及重点关注名单信息（1条）");
        report.ShouldContain("重大税收违法失信主体名单");
        report.ShouldContain("名单类别严重失信主体名单（黑名单）");
        report.ShouldContain("认定部门税务局");
        report.ShouldContain("认定依据" + TaxBasis);
        report.ShouldContain(period);
        report.ShouldContain("救济途径可依法申请行政复议或提起行政诉讼；可向税务机关提出异议或申请信用修复。");
        report.ShouldContain("六、荣誉及守信激励信息（0条）");

        tax.ShouldContain("专项信用报告");
        tax.ShouldContain("税务领域名单信息（1条）");
        tax.ShouldContain(period);
        tax.ShouldContain("该主体被列入“重大税收违法失信主体名单”（严重失信主体名单），在列入期内");
        tax.ShouldContain("本报告不能证明其在该领域无违法违规记录");
        tax.ShouldNotContain("未发现该主体在税务领域的违法违规记录");
        safety.ShouldContain("未发现该主体在安全生产领域的违法违规记录");
        safety.ShouldNotContain("重大税收违法失信主体名单");
    }
}
