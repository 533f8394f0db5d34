using System.Security.Claims;
using Xinyong.Core.Reports;
using Xinyong.Data.Reports;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Reports;

/// <summary>What the pages and the API share: who may issue, issuing with the verification link of this site, wording of outcomes.</summary>
public sealed class ReportService(ReportStore store, ReportPdfRenderer renderer)
{
    /// <summary>Reports are issued by the credit office (administrators).</summary>
    public static bool MayIssue(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && user.IsAdmin();

    public static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    public Task<IssuedReport> IssueAsync(long requestId, ClaimsPrincipal user, HttpRequest request, CancellationToken ct) =>
        store.IssueAsync(requestId, user.ToActor(), new BoundRenderer(renderer, Origin(request)), ct);

    /// <summary>May this caller read this report: the credit office, or the applicant with the request's token.</summary>
    public async Task<bool> MayReadAsync(IssuedReport report, ClaimsPrincipal user, string? token, CancellationToken ct) =>
        MayIssue(user) || await store.TokenOpensAsync(report, token, ct);

    public Task<string> HtmlAsync(IssuedReport report, HttpRequest request) => renderer.RenderHtmlAsync(report.Read(), report.ContentSha256, Origin(request));

    private sealed class BoundRenderer(ReportPdfRenderer inner, string baseUrl) : IReportRenderer
    {
        public Task<byte[]> RenderPdfAsync(ReportContent content, CancellationToken ct = default) => inner.RenderPdfAsync(content, baseUrl, ct);
    }

    public static (string Zh, string En) Explain(ReportVerification v) => v.Outcome switch
    {
        VerificationOutcome.Authentic => ($"核验通过：报告 {v.Number} 由本平台于 {v.IssueDate:yyyy-MM-dd} 出具，内容与出具时一致，未被篡改。",
            $"Verified: report {v.Number} was issued by this platform on {v.IssueDate:yyyy-MM-dd} and is unaltered."),
        VerificationOutcome.InvalidNumber => ("报告编号格式不正确或校验位不符，请核对后重新输入。", "The report number is malformed or its check character is wrong."),
        VerificationOutcome.InvalidHash => ("内容摘要应为64位十六进制字符（SHA-256），请核对后重新输入。", "The content hash must be 64 hexadecimal digits (SHA-256)."),
        VerificationOutcome.NotIssued => ($"核验未通过：本平台未出具编号为 {v.Number} 的信用报告。", $"Not verified: this platform issued no report numbered {v.Number}."),
        VerificationOutcome.HashMismatch => ($"核验未通过：本平台出具过编号为 {v.Number} 的报告，但内容摘要与出具时不一致，该报告内容可能已被篡改。",
            $"Not verified: report {v.Number} was issued, but its content hash differs from the one issued; the copy may have been altered."),
        VerificationOutcome.FileAltered => ($"核验未通过：该文件标注为报告 {v.Number}，但与本平台出具的文件不一致，文件已被修改。",
            $"Not verified: the file claims to be report {v.Number} but differs from the file issued; it has been altered."),
        VerificationOutcome.UnknownFile => ("核验未通过：该文件不是本平台出具的信用报告。", "Not verified: the file is not a credit report issued by this platform."),
        _ => ("核验未通过：该报告的签发记录校验异常，请联系本平台。", "Not verified: the platform's record of this report fails its integrity check; contact the platform."),
    };
}
