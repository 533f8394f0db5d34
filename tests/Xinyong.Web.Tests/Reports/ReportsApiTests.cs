using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Xinyong.Data.Database;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Reports;

public sealed class ReportsApiTests
{
    internal sealed record Verification(bool Authentic, string Outcome, string? Number, string? SubjectName, string MessageZh);

    internal static async Task<Verification> VerifyAsync(HttpClient client, string number, string hash) =>
        await WebHost.ReadAsync<Verification>(await client.PostAsJsonAsync("/api/v1/reports/verify", new { number, contentSha256 = hash }));

    private static async Task<Verification> VerifyPdfAsync(HttpClient client, byte[] pdf)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(pdf), "file", "report.pdf" } };
        return await WebHost.ReadAsync<Verification>(await client.PostAsync("/api/v1/reports/verify/pdf", form));
    }

    [Theory, DatabaseProviders]
    public async Task RequestIssueDownload_PublicReportPdf_ChineseTextAndPenaltyCountsRight(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var anonymous = host.CreateClient();
        var admin = await ReportFixture.SignInAsync(host, Xinyong.Data.Platform.PlatformSetup.DemoAdminUser);
        var (reference, token) = await ReportFixture.RequestAsync(anonymous, ReportFixture.Codes[0]);

        var issued = await ReportFixture.IssueAsync(admin, host, reference);
        var pdf = await anonymous.GetByteArrayAsync($"/api/v1/reports/{issued.Number}/pdf?token={token}");

        Encoding.ASCII.GetString(pdf, 0, 5).ShouldBe("%PDF-");
        var text = ReportFixture.PdfText(pdf);
        var flat = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        flat.ShouldContain("公共信用信息报告");
        flat.ShouldContain(ReportFixture.Company);
        flat.ShouldContain(issued.Number);
        flat.ShouldContain(issued.ContentSha256);
        flat.ShouldContain("三、行政处罚信息（2条）");
        flat.ShouldContain("二、行政许可信息（0条）");
        flat.ShouldNotContain("工作台");
        flat.ShouldContain("昆市监罚〔2025〕21号");
        flat.ShouldContain("昆市监罚〔2025〕22号");
        flat.ShouldNotContain("昆市监罚〔2019〕23号");
        flat.ShouldContain("20,000");
        flat.ShouldContain("另有1条信息已超过公示期限");
        CountHan(text).ShouldBeGreaterThan(300);
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)).ShouldBe(issued.PdfSha256);
    }

    [Theory, DatabaseProviders]
    public async Task IssuePurposeReport_NoRecordsInField_PdfSaysNoRecordFound(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var anonymous = host.CreateClient();
        var admin = await ReportFixture.SignInAsync(host, Xinyong.Data.Platform.PlatformSetup.DemoAdminUser);
        var (reference, token) = await ReportFixture.RequestAsync(anonymous, ReportFixture.Codes[0], "purpose", "work-safety");

        var issued = await ReportFixture.IssueAsync(admin, host, reference);
        var flat = string.Concat(ReportFixture.PdfText(await anonymous.GetByteArrayAsync($"/api/v1/reports/{issued.Number}/pdf?token={token}")).Where(c => !char.IsWhiteSpace(c)));

        flat.ShouldContain("专项信用报告");
        flat.ShouldContain("安全生产领域行政处罚信息（0条）");
        flat.ShouldContain("未发现该主体在安全生产领域的行政处罚记录");
        flat.ShouldContain("安全生产领域无违法违规记录证明");
    }

    [Theory, DatabaseProviders]
    public async Task Verify_TamperedHashOrPdfOrStoredContent_Fails(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var anonymous = host.CreateClient();
        var admin = await ReportFixture.SignInAsync(host, Xinyong.Data.Platform.PlatformSetup.DemoAdminUser);
        var (reference, token) = await ReportFixture.RequestAsync(anonymous, ReportFixture.Codes[0]);
        var issued = await ReportFixture.IssueAsync(admin, host, reference);
        var pdf = await anonymous.GetByteArrayAsync($"/api/v1/reports/{issued.Number}/pdf?token={token}");

        (await VerifyAsync(anonymous, issued.Number, issued.ContentSha256)).ShouldSatisfyAllConditions(
            v => v.Authentic.ShouldBeTrue(), v => v.SubjectName.ShouldBe(ReportFixture.Company));
        (await VerifyPdfAsync(anonymous, pdf)).Authentic.ShouldBeTrue();

        var otherHash = (issued.ContentSha256[0] == '0' ? "1" : "0") + issued.ContentSha256[1..];
        (await VerifyAsync(anonymous, issued.Number, otherHash)).Outcome.ShouldBe("HashMismatch");
        var altered = (byte[])pdf.Clone();
        altered[altered.Length / 2] ^= 0x20;
        var fileCheck = await VerifyPdfAsync(anonymous, altered);
        fileCheck.Authentic.ShouldBeFalse();
        fileCheck.Outcome.ShouldBe("FileAltered");
        fileCheck.Number.ShouldBe(issued.Number);
        (await VerifyPdfAsync(anonymous, Encoding.ASCII.GetBytes("%PDF-1.4 not a report"))).Outcome.ShouldBe("UnknownFile");
        var typo = issued.Number[..^3] + (issued.Number[^3] == '9' ? '8' : (char)(issued.Number[^3] + 1)) + issued.Number[^2..];
        (await VerifyAsync(anonymous, typo, issued.ContentSha256)).Outcome.ShouldBeOneOf("InvalidNumber", "NotIssued");

        // Someone with database access changes a fine in the stored content: the hash no longer matches what is kept.
        await using (var conn = await host.Get<XinyongDatabase>().OpenAsync())
        {
            (await conn.ExecuteAsync("UPDATE reports SET content = REPLACE(content, '20,000', '2,000') WHERE number = @n", new { n = issued.Number })).ShouldBe(1);
        }
        var tampered = await VerifyAsync(anonymous, issued.Number, issued.ContentSha256);
        tampered.Authentic.ShouldBeFalse();
        tampered.Outcome.ShouldBe("StoredRecordDamaged");
    }

    [Theory, DatabaseProviders]
    public async Task IssueAndDownload_WithoutRights_RefusedOrNotFound(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var anonymous = host.CreateClient();
        var officer = await ReportFixture.SignInAsync(host, Xinyong.Data.Platform.PlatformSetup.DemoOfficerUser);
        var admin = await ReportFixture.SignInAsync(host, Xinyong.Data.Platform.PlatformSetup.DemoAdminUser);
        var (reference, _) = await ReportFixture.RequestAsync(anonymous, ReportFixture.Codes[0]);
        var id = await ReportFixture.ScalarAsync(host, "SELECT id FROM report_requests WHERE reference = @reference", new { reference });

        (await officer.PostAsync($"/api/v1/reports/requests/{id}/issue", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await anonymous.PostAsync($"/api/v1/reports/requests/{id}/issue", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var issued = await ReportFixture.IssueAsync(admin, host, reference);
        (await admin.PostAsync($"/api/v1/reports/requests/{id}/issue", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await anonymous.GetAsync($"/api/v1/reports/{issued.Number}/pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync($"/api/v1/reports/{issued.Number}/pdf?token=wrong")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/api/v1/reports/{issued.Number}/pdf")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, DatabaseProviders]
    public async Task Request_UnknownCodeOrBadContact_ProblemDetailsInChinese(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var anonymous = host.CreateClient();

        var unknown = await anonymous.PostAsJsonAsync("/api/v1/reports/requests", new { code = ReportFixture.Codes[1][..17] + "0", applicantName = "赵六", contact = "13912345678" });
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var bad = await anonymous.PostAsJsonAsync("/api/v1/reports/requests", new { code = ReportFixture.Codes[0], applicantName = "赵六", contact = "12" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var doc = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        doc.RootElement.GetProperty("code").GetString().ShouldBe("contact-invalid");
        doc.RootElement.GetProperty("detail").GetString()!.ShouldContain("手机号码");
    }

    [Theory, DatabaseProviders]
    public async Task Pages_RequestFormThenVerifyPage_ShowReferenceAndVerdict(string provider)
    {
        await using var host = await ReportFixture.StartAsync(provider);
        var client = host.CreateClient();
        var admin = await ReportFixture.SignInAsync(host, Xinyong.Data.Platform.PlatformSetup.DemoAdminUser);
        var form = await ReportFixture.AntiforgeryAsync(client, "/reports/request");

        var posted = await client.PostAsync("/reports/request", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = ReportFixture.Codes[0], ["Kind"] = "purpose", ["PurposeId"] = "market-regulation", ["ApplicantName"] = "赵六", ["Contact"] = "zhao@example.cn",
            ["Usage"] = "上市", ["__RequestVerificationToken"] = form,
        }));
        var html = WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync());
        posted.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var reference = System.Text.RegularExpressions.Regex.Match(html, "id=\"reference\">([^<]+)<").Groups[1].Value;
        var token = System.Text.RegularExpressions.Regex.Match(html, "id=\"token\">([^<]+)<").Groups[1].Value;
        reference.ShouldStartWith("SQ");

        var issued = await ReportFixture.IssueAsync(admin, host, reference);
        var status = WebUtility.HtmlDecode(await client.GetStringAsync($"/reports/requests/{reference}?t={token}"));
        status.ShouldContain("已出具");
        status.ShouldContain(issued.Number);
        var view = WebUtility.HtmlDecode(await client.GetStringAsync($"/reports/view/{issued.Number}?t={token}"));
        view.ShouldContain("市场监管领域行政处罚信息（2 条）");
        view.ShouldContain("<svg");
        // Dates and document numbers are kept on one line (Chinese text otherwise breaks between any two characters).
        System.Text.RegularExpressions.Regex.IsMatch(view, "<dd><span class=\"nw\">\\d{4}年\\d{1,2}月\\d{1,2}日</span></dd>").ShouldBeTrue();
        var verdict = WebUtility.HtmlDecode(await client.GetStringAsync($"/reports/verify?no={issued.Number}&h={issued.ContentSha256}"));
        verdict.ShouldContain("核验通过");
        var stats = WebUtility.HtmlDecode(await admin.GetStringAsync("/staff/reports/statistics?Period=Year"));
        stats.ShouldContain("收到申请 1 件，出具报告 1 份（公共信用信息报告 0 份，专项信用报告 1 份）");
    }

    private static int CountHan(string s) => s.Count(c => c is >= '\u4e00' and <= '\u9fff');
}
