using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Auditing;
using Xinyong.Core.Reports;
using Xinyong.Data.Reports;
using Xinyong.Web.Auth;
using Xinyong.Web.Reports;

namespace Xinyong.Web.Api;

/// <summary>Credit reports: subjects request (public), the credit office issues or rejects, applicants download, anyone verifies.</summary>
internal static class ReportsApi
{
    public sealed record RequestDto(string? Code, string? Kind, string? PurposeId, string? ApplicantName, string? Contact, string? Usage);

    public sealed record OpenedDto(string Reference, string Token, string Status, string StatusUrl);

    public sealed record RequestStatusDto(long Id, string Reference, string SubjectName, string Kind, string? PurposeId, string Status, DateTime RequestedAt,
        DateTime? DecidedAt, string? RejectReason, string? ReportNumber);

    public sealed record QueueItemDto(long Id, string Reference, long SubjectId, string SubjectName, string Kind, string? PurposeId, string ApplicantName,
        string Contact, string Usage, string Status, DateTime RequestedAt, DateTime? DecidedAt, string? DecidedBy, string? RejectReason, string? ReportNumber);

    public sealed record IssuedDto(string Number, DateOnly IssueDate, string Kind, string? PurposeId, string ContentSha256, string PdfSha256, string PdfUrl, string VerifyUrl);

    public sealed record RejectDto(string? Reason);

    public sealed record VerifyDto(string? Number, string? ContentSha256);

    public sealed record VerificationDto(bool Authentic, string Outcome, string? Number, DateOnly? IssueDate, string? Title, string? SubjectName, string MessageZh, string MessageEn);

    public sealed record CountDto(DateOnly Start, int Requested, int Rejected, int IssuedPublic, int IssuedPurpose, int Issued);

    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/reports").WithTags("reports");
        g.MapPost("/requests", Request).AllowAnonymous().DisableAntiforgery()
            .WithSummary("A subject requests a report by its credit code and a contact; returns the reference and the retrieval token (shown once)")
            .Produces<OpenedDto>(StatusCodes.Status201Created).ProducesProblem(400);
        g.MapGet("/requests/{reference}", Status).AllowAnonymous().WithSummary("Status of a request (?token= the retrieval token)").ProducesProblem(404);
        g.MapGet("/requests", Queue).RequireAuthorization().WithSummary("The credit office's queue (?status=Requested|Issued|Rejected)").ProducesProblem(403);
        g.MapPost("/requests/{id:long}/issue", Issue).RequireAuthorization().DisableAntiforgery()
            .WithSummary("Issue the report of a request (credit office)").Produces<IssuedDto>(StatusCodes.Status201Created).ProducesProblem(403).ProducesProblem(409);
        g.MapPost("/requests/{id:long}/reject", Reject).RequireAuthorization().DisableAntiforgery()
            .WithSummary("Reject a request with a reason (credit office)").ProducesProblem(400).ProducesProblem(409);
        g.MapGet("/statistics", Statistics).RequireAuthorization().WithSummary("Requests, issued and rejected per day|month|year (?from=&to=&period=)");
        g.MapPost("/verify", Verify).AllowAnonymous().DisableAntiforgery().WithSummary("Verify a report by number and content hash (SHA-256)");
        g.MapPost("/verify/pdf", VerifyPdf).AllowAnonymous().DisableAntiforgery().WithSummary("Verify an uploaded report PDF (multipart field 'file')");
        g.MapGet("/{number}", Content).AllowAnonymous().WithSummary("The issued content (canonical JSON) and its hash (?token= or credit office)").ProducesProblem(404);
        g.MapGet("/{number}/pdf", Pdf).AllowAnonymous().WithSummary("The PDF exactly as issued (?token= or credit office)").ProducesProblem(404);
    }

    private static IResult Refused(HttpContext http, ReportRefusedException e) =>
        Problems.Create(http, e.Refusal.Code.StartsWith("already", StringComparison.Ordinal) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
            e.Refusal.Code, e.Refusal.Zh, e.Refusal.En);

    private static IResult NotAllowed(HttpContext http) =>
        Problems.Create(http, StatusCodes.Status403Forbidden, "forbidden", "仅信用办可出具信用报告和查看申请。", "Only the credit office issues reports and sees requests.");

    private static async Task<IResult> Request(HttpContext http, RequestDto body, ReportStore store, CancellationToken ct)
    {
        try
        {
            var opened = await store.RequestAsync(new ReportApplication(body.Code ?? "", body.Kind ?? ReportKinds.Public, body.PurposeId, body.ApplicantName ?? "",
                body.Contact ?? "", body.Usage ?? ""), new Actor(ActorKind.System, "public-site"), ct);
            var url = $"/reports/requests/{opened.Request.Reference}?t={opened.Token}";
            return Results.Created(url, new OpenedDto(opened.Request.Reference, opened.Token, opened.Request.Status.ToString(), url));
        }
        catch (ReportRefusedException e)
        {
            return Refused(http, e);
        }
    }

    private static async Task<IResult> Status(HttpContext http, string reference, [FromQuery] string? token, ReportStore store, CancellationToken ct)
    {
        var r = await store.FindRequestAsync(reference, token, ct);
        return r is null
            ? Problems.NotFound(http, "未找到该申请（请核对申请编号与查询码）。", "No such request (check the reference and the token).")
            : Results.Ok(new RequestStatusDto(r.Id, r.Reference, r.SubjectName, r.Kind, r.PurposeId, r.Status.ToString(), r.RequestedAt, r.DecidedAt, r.RejectReason, r.ReportNumber));
    }

    private static async Task<IResult> Queue(HttpContext http, [FromQuery] string? status, ReportStore store, CancellationToken ct)
    {
        if (!ReportService.MayIssue(http.User)) return NotAllowed(http);
        var s = Enum.TryParse<ReportRequestStatus>(status, ignoreCase: true, out var parsed) ? parsed : ReportRequestStatus.Requested;
        var rows = await store.QueueAsync(s, ct: ct);
        return Results.Ok(rows.Select(r => new QueueItemDto(r.Id, r.Reference, r.SubjectId, r.SubjectName, r.Kind, r.PurposeId, r.ApplicantName, r.Contact, r.Usage,
            r.Status.ToString(), r.RequestedAt, r.DecidedAt, r.DecidedBy, r.RejectReason, r.ReportNumber)));
    }

    private static async Task<IResult> Issue(HttpContext http, long id, ReportService reports, CancellationToken ct)
    {
        if (!ReportService.MayIssue(http.User)) return NotAllowed(http);
        try
        {
            var r = await reports.IssueAsync(id, http.User, http.Request, ct);
            return Results.Created($"/api/v1/reports/{r.Number}", new IssuedDto(r.Number, r.IssueDate, r.Kind, r.PurposeId, r.ContentSha256, r.PdfSha256,
                $"/api/v1/reports/{r.Number}/pdf", ReportDocument.VerifyLink(ReportService.Origin(http.Request), r.Number, r.ContentSha256)));
        }
        catch (ReportRefusedException e)
        {
            return Refused(http, e);
        }
    }

    private static async Task<IResult> Reject(HttpContext http, long id, RejectDto body, ReportStore store, CancellationToken ct)
    {
        if (!ReportService.MayIssue(http.User)) return NotAllowed(http);
        try
        {
            var r = await store.RejectAsync(id, body.Reason, http.User.ToActor(), ct);
            return Results.Ok(new RequestStatusDto(r.Id, r.Reference, r.SubjectName, r.Kind, r.PurposeId, r.Status.ToString(), r.RequestedAt, r.DecidedAt, r.RejectReason, r.ReportNumber));
        }
        catch (ReportRefusedException e)
        {
            return Refused(http, e);
        }
    }

    private static async Task<IResult> Statistics(HttpContext http, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, [FromQuery] string? period,
        ReportStore store, CancellationToken ct)
    {
        if (!ReportService.MayIssue(http.User)) return NotAllowed(http);
        var p = Enum.TryParse<ReportPeriod>(period, ignoreCase: true, out var parsed) ? parsed : ReportPeriod.Month;
        var end = to ?? store.Today;
        var start = from ?? new DateOnly(end.Year, 1, 1);
        if (start > end || end.DayNumber - start.DayNumber > 3660)
            return Problems.Create(http, 400, "bad_period", "统计期间不正确（起始日期须早于截止日期，且不超过10年）。", "Bad period (from before to, at most 10 years).");
        var counts = await store.CountsAsync(start, end, p, ct);
        return Results.Ok(counts.Select(c => new CountDto(c.Start, c.Requested, c.Rejected, c.IssuedPublic, c.IssuedPurpose, c.Issued)));
    }

    private static VerificationDto ToDto(ReportVerification v)
    {
        var (zh, en) = ReportService.Explain(v);
        return new VerificationDto(v.IsAuthentic, v.Outcome.ToString(), v.Number, v.IssueDate, v.Title, v.SubjectName, zh, en);
    }

    private static async Task<IResult> Verify(VerifyDto body, ReportVerifier verifier, CancellationToken ct) =>
        Results.Ok(ToDto(await verifier.VerifyAsync(body.Number, body.ContentSha256, ct)));

    private static async Task<IResult> VerifyPdf(HttpContext http, ReportVerifier verifier, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType || (await http.Request.ReadFormAsync(ct)).Files.GetFile("file") is not { } file)
            return Problems.Create(http, 400, "file_required", "请上传报告PDF文件（表单字段 file）。", "Upload the report PDF (form field 'file').");
        if (file.Length > 20 * 1024 * 1024) return Problems.Create(http, 400, "file_too_large", "文件过大（上限20 MB）。", "File too large (20 MB at most).");
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ct);
        return Results.Ok(ToDto(await verifier.VerifyPdfAsync(ms.ToArray(), ct)));
    }

    private static async Task<IResult> Content(HttpContext http, string number, [FromQuery] string? token, ReportStore store, ReportService reports, CancellationToken ct)
    {
        var r = await store.GetAsync(number, ct);
        if (r is null || !await reports.MayReadAsync(r, http.User, token, ct)) return Problems.NotFound(http, "未找到该报告。", "No such report.");
        return Results.Ok(new { r.Number, r.IssueDate, r.ContentSha256, r.PdfSha256, content = System.Text.Json.JsonDocument.Parse(r.Content).RootElement });
    }

    private static async Task<IResult> Pdf(HttpContext http, string number, [FromQuery] string? token, ReportStore store, ReportService reports, CancellationToken ct)
    {
        var r = await store.GetAsync(number, ct);
        if (r is null || !await reports.MayReadAsync(r, http.User, token, ct)) return Problems.NotFound(http, "未找到该报告。", "No such report.");
        var pdf = await store.PdfAsync(r.Number, ct);
        return Results.File(pdf!, "application/pdf", $"{r.Number}.pdf");
    }
}
