using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Data.Accounts;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Platform;
using Xinyong.Data.Publication;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Reports;

/// <summary>A web host with one enterprise holding two penalties on view and one past its period, an admin, and helpers.</summary>
public static partial class ReportFixture
{
    public static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(2, seed: 91);
    public const string Company = "昆山丁精密机械有限公司";

    public static async Task<WebHost> StartAsync(string provider = "sqlite", bool kestrel = false)
    {
        var host = await WebHost.StartAsync(provider, kestrel);
        await host.CreateUserAsync(PlatformSetup.DemoAdminUser, PlatformSetup.DemoAdminPassword, Roles.Admin, null);
        await host.CreateUserAsync(PlatformSetup.DemoOfficerUser, PlatformSetup.DemoOfficerPassword, Roles.Officer, "市场监管局");
        var dept = (await host.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        using var dir = new TempDir();
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row(Company, Codes[0], "昆市监罚〔2025〕21号", DateTime.UtcNow.AddMonths(-4).ToString("yyyy-MM-dd"), "1.5"))
            .Add(PenaltyFile.Row(Company, Codes[0], "昆市监罚〔2025〕22号", DateTime.UtcNow.AddMonths(-2).ToString("yyyy-MM-dd"), "2"))
            .Add(PenaltyFile.Row(Company, Codes[0], "昆市监罚〔2019〕23号", "2019-05-10", "3"))
            .Add(PenaltyFile.Row("昆山戊物流有限公司", Codes[1], "昆市监罚〔2019〕24号", "2019-06-10", "3"));
        var summary = await host.Get<IngestionRunner>().IngestFileAsync(file.WriteCsv(dir.Path), "penalties.csv", dept.Id, "penalty", "test", new Actor(ActorKind.Cli, "tester", dept.Id));
        summary.Accepted.ShouldBe(4);
        await host.Get<PublicationProjector>().ProjectSubmissionAsync(summary.SubmissionId);
        return host;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<string> AntiforgeryAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
    }

    public static async Task<HttpClient> SignInAsync(WebHost host, string username)
    {
        var password = username == PlatformSetup.DemoOfficerUser ? PlatformSetup.DemoOfficerPassword : PlatformSetup.DemoAdminPassword;
        var client = host.CreateClient(new() { AllowAutoRedirect = false });
        var token = await AntiforgeryAsync(client, "/staff/login");
        var response = await client.PostAsync("/staff/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    public static async Task<(string Reference, string Token)> RequestAsync(HttpClient client, string code, string kind = "public", string? purpose = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/reports/requests", new { code, kind, purposeId = purpose, applicantName = "赵六", contact = "13912345678", usage = "招投标" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await WebHost.ReadAsync<Dictionary<string, object>>(response);
        return (body["reference"].ToString()!, body["token"].ToString()!);
    }

    public sealed record Issued(string Number, DateOnly IssueDate, string Kind, string? PurposeId, string ContentSha256, string PdfSha256, string PdfUrl, string VerifyUrl);

    /// <summary>Issues the request with this reference through the API, as the signed-in credit office.</summary>
    public static async Task<Issued> IssueAsync(HttpClient admin, WebHost host, string reference)
    {
        var id = await ScalarAsync(host, "SELECT id FROM report_requests WHERE reference = @reference", new { reference });
        var response = await admin.PostAsync($"/api/v1/reports/requests/{id}/issue", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await WebHost.ReadAsync<Issued>(response);
    }

    public static async Task<long> ScalarAsync(WebHost host, string sql, object args)
    {
        await using var conn = await host.Get<XinyongDatabase>().OpenAsync();
        return await conn.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>The PDF's text with all white space removed (pdftotext -layout spreads table cells over columns and lines).</summary>
    public static string FlatPdfText(byte[] pdf) => string.Concat(PdfText(pdf).Where(c => !char.IsWhiteSpace(c)));

    /// <summary>Text of a PDF by poppler's pdftotext (installed by scripts/test.sh).</summary>
    public static string PdfText(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"xinyong-report-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            using var p = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", "-layout", path, "-"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8,
            }) ?? throw new InvalidOperationException("pdftotext did not start (apt-get install poppler-utils)");
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (Environment.GetEnvironmentVariable("XINYONG_SCREENSHOTS") is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(Path.Combine(dir, $"report-{pdf.Length}.pdf"), pdf);
                File.WriteAllText(Path.Combine(dir, $"report-{pdf.Length}.txt"), text);
            }
            p.ExitCode.ShouldBe(0, p.StandardError.ReadToEnd());
            return text;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
