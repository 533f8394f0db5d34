using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Web.Auth;
using Xinyong.Web.Ingestion;

namespace Xinyong.Web.Api;

/// <summary>Collection API for department systems and staff: submit a file or JSON rows, follow its status, get rejects.</summary>
internal static class SubmissionsApi
{
    public sealed record SubmissionDto(
        long Id, string Department, string DepartmentName, string Type, string Channel, string FileName, string Status,
        long Read, long Accepted, long Unchanged, long NewVersions, long Rejected, long SubjectsCreated, long Late,
        string? ErrorZh, string? ErrorEn, IReadOnlyList<IssueDto> Issues, DateTime ReceivedAt, DateTime? CompletedAt, string Actor);

    public sealed record IssueDto(string Code, string Zh, string En);

    public sealed record RejectDto(long Row, string ReasonCode, string Field, string? Value, string ReasonZh, string ReasonEn);

    public static void MapSubmissionsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/submissions").WithTags("submissions").RequireAuthorization();
        g.MapPost("/", Submit).DisableAntiforgery()
            .WithSummary("Submit a file (multipart field 'file') or JSON rows for a department; returns the submission")
            .Produces<SubmissionDto>(StatusCodes.Status202Accepted).Produces<SubmissionDto>(StatusCodes.Status200OK).ProducesProblem(400);
        g.MapGet("/", List).WithSummary("Recent submissions (own department for officers and systems)");
        g.MapGet("/{id:long}", Get).WithSummary("Status and counts of a submission").ProducesProblem(404);
        g.MapGet("/{id:long}/rejects", Rejects).WithSummary("Rejected rows: JSON, or ?format=xlsx|csv for a spreadsheet").ProducesProblem(404);
    }

    private static async Task<IResult> Submit(HttpContext http, [FromQuery] string? type, [FromQuery] string? department, [FromQuery] bool? wait,
        RecordCatalogue catalogue, DepartmentStore departments, UploadStorage uploads, IngestionRunner runner, IngestionQueue queue, SubmissionStore store, CancellationToken ct)
    {
        var user = http.User;
        if (string.IsNullOrWhiteSpace(type) || !catalogue.TryGet(type, out var recordType))
            return Problems.Create(http, 400, "unknown_type", $"请用 ?type= 指定数据类型：{string.Join("、", catalogue.Types.Select(t => t.Code))}",
                $"Specify the record type with ?type=: {string.Join(", ", catalogue.Types.Select(t => t.Code))}");

        Department? dept;
        if (department is not null)
        {
            dept = await departments.FindAsync(department, ct);
            if (dept is null) return Problems.Create(http, 400, "unknown_department", $"未知的报送单位“{department}”", $"Unknown department '{department}'");
            if (!user.CanAccessDepartment(dept.Id)) return Problems.Forbidden(http);
        }
        else if (user.DepartmentId() is { } own)
        {
            dept = await departments.GetAsync(own, ct);
        }
        else
        {
            return Problems.Create(http, 400, "department_required", "请用 ?department= 指定报送单位", "Specify the submitting department with ?department=");
        }

        string fileName;
        string path;
        string channel = user.FindFirst(StaffAuth.ActorKindClaim)?.Value == "token" ? "api" : "web";
        try
        {
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(ct);
                var file = form.Files["file"] ?? form.Files.FirstOrDefault();
                if (file is null) return Problems.Create(http, 400, "file_required", "请在表单字段 file 中上传文件", "Upload the file in the form field 'file'");
                fileName = Path.GetFileName(file.FileName);
                await using var s = file.OpenReadStream();
                path = await uploads.SaveAsync(s, fileName, ct);
            }
            else
            {
                fileName = $"{recordType.Code}-rows.json";
                path = await uploads.SaveAsync(http.Request.Body, fileName, ct);
            }
        }
        catch (InvalidDataException)
        {
            return Problems.Create(http, 413, "too_large", "文件超过大小上限", "The file exceeds the size limit");
        }

        if (new FileInfo(path).Length == 0)
            return Problems.Create(http, 400, "empty_file", "文件为空（0 字节）", "The file is empty (0 bytes)");

        var submission = await runner.RegisterAsync(path, fileName, dept!.Id, recordType.Code, channel, path, user.ToActor(), ct);
        if (wait == true)
        {
            await queue.EnqueueAndWaitAsync(submission.Id, path, ct);
            return Results.Ok(await ToDto((await store.GetAsync(submission.Id, ct))!, departments, ct));
        }
        queue.Enqueue(submission.Id, path);
        return Results.Accepted($"/api/v1/submissions/{submission.Id}", await ToDto(submission, departments, ct));
    }

    private static async Task<IResult> List(ClaimsPrincipal user, SubmissionStore store, DepartmentStore departments, [FromQuery] int? limit, CancellationToken ct)
    {
        var items = await store.ListAsync(user.IsAdmin() ? null : user.DepartmentId() ?? -1, Math.Clamp(limit ?? 50, 1, 500), ct);
        var result = new List<SubmissionDto>(items.Count);
        foreach (var s in items) result.Add(await ToDto(s, departments, ct));
        return Results.Ok(result);
    }

    private static async Task<IResult> Get(HttpContext http, long id, SubmissionStore store, DepartmentStore departments, CancellationToken ct)
    {
        var s = await store.GetAsync(id, ct);
        if (s is null) return Problems.NotFound(http, $"报送批次 {id} 不存在", $"Submission {id} does not exist");
        if (!http.User.CanAccessDepartment(s.DepartmentId)) return Problems.Forbidden(http);
        return Results.Ok(await ToDto(s, departments, ct));
    }

    private static async Task<IResult> Rejects(HttpContext http, long id, [FromQuery] string? format, [FromQuery] int? offset, [FromQuery] int? limit,
        SubmissionStore store, CancellationToken ct)
    {
        var s = await store.GetAsync(id, ct);
        if (s is null) return Problems.NotFound(http, $"报送批次 {id} 不存在", $"Submission {id} does not exist");
        if (!http.User.CanAccessDepartment(s.DepartmentId)) return Problems.Forbidden(http);
        switch (format?.ToLowerInvariant())
        {
            case "xlsx":
            {
                var ms = new MemoryStream();
                await RejectsExport.WriteXlsxAsync(store, id, ms, ct);
                ms.Position = 0;
                return Results.File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"submission-{id}-rejects.xlsx");
            }
            case "csv":
            {
                var ms = new MemoryStream();
                await RejectsExport.WriteCsvAsync(store, id, ms, ct);
                ms.Position = 0;
                return Results.File(ms, "text/csv; charset=utf-8", $"submission-{id}-rejects.csv");
            }
            default:
            {
                var rows = await store.RejectsAsync(id, Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 1000, 1, 10000), ct);
                return Results.Ok(rows.Select(r => new RejectDto(r.RowNumber, r.ReasonCode, r.Field, r.Value, r.ReasonZh, r.ReasonEn)));
            }
        }
    }

    internal static async Task<SubmissionDto> ToDto(Submission s, DepartmentStore departments, CancellationToken ct)
    {
        var d = await departments.GetAsync(s.DepartmentId, ct);
        return new SubmissionDto(s.Id, d?.Code ?? "", d?.Name ?? "", s.RecordType, s.Channel, s.FileName, s.Status, s.RowsRead, s.Accepted, s.Unchanged,
            s.NewVersions, s.Rejected, s.SubjectsCreated, s.Late, s.ErrorZh, s.ErrorEn, s.Issues().Select(i => new IssueDto(i.Code, i.MessageZh, i.MessageEn)).ToList(),
            s.ReceivedAt, s.CompletedAt, s.Actor);
    }
}
