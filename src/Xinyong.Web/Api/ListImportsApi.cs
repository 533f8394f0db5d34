using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Lists;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Data.Search;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>Bulk designation files (e.g. the court's push of judgment defaulters): send a file, read the outcome, download the rejected rows.</summary>
internal static class ListImportsApi
{
    public sealed record RejectDto(long Row, string Field, string? Value, string ReasonCode, string ReasonZh, string ReasonEn);

    public static void MapListImportsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/lists/imports").WithTags("lists").RequireAuthorization();
        g.MapPost("/", Import).DisableAntiforgery()
            .WithSummary("Send a designation file (multipart field 'file', or the raw body) with ?type= and ?department=; processed at once")
            .Produces<ListImport>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409);
        g.MapGet("/", List).WithSummary("Recent imports (own department unless administrator)");
        g.MapGet("/{id:long}", Get).WithSummary("Counts and status of an import").ProducesProblem(404);
        g.MapGet("/{id:long}/rejects", Rejects).WithSummary("Rejected rows: JSON, or ?format=xlsx|csv").ProducesProblem(404);
    }

    private static async Task<IResult> Import(HttpContext http, [FromQuery] string? type, [FromQuery] string? department, ListImporter importer,
        DepartmentStore departments, SubjectSearchIndex search, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(type))
            return Problems.Create(http, 400, "list-type-required", "请用 ?type= 指定名单类型", "Specify the list type with ?type=");
        long departmentId = 0;
        if (!string.IsNullOrWhiteSpace(department))
        {
            var d = await departments.FindAsync(department, ct);
            if (d is null) return Problems.Create(http, 400, "unknown-department", $"未知的部门“{department}”", $"Unknown department '{department}'");
            if (!http.User.CanAccessDepartment(d.Id)) return Problems.Forbidden(http);
            departmentId = d.Id;
        }

        // The readers need a seekable stream; designation files are thousands of rows, not gigabytes.
        string fileName;
        var buffer = new MemoryStream();
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            var file = form.Files["file"] ?? form.Files.FirstOrDefault();
            if (file is null) return Problems.Create(http, 400, "file-required", "请在表单字段 file 中上传文件", "Upload the file in the form field 'file'");
            fileName = Path.GetFileName(file.FileName);
            await file.CopyToAsync(buffer, ct);
        }
        else
        {
            fileName = $"{type}.csv";
            await http.Request.Body.CopyToAsync(buffer, ct);
        }
        if (buffer.Length == 0) return Problems.Create(http, 400, "empty-file", "文件为空（0 字节）", "The file is empty (0 bytes)");
        buffer.Position = 0;

        try
        {
            var channel = http.User.FindFirst(StaffAuth.ActorKindClaim)?.Value == "token" ? "api" : "web";
            var result = await importer.ImportAsync(buffer, fileName, type, departmentId, channel, http.User.ToActor(), ct);
            if (result.SubjectsCreated > 0 && search.IsLoaded) await search.RefreshAsync(ct);
            return Results.Created($"/api/v1/lists/imports/{result.Id}", result);
        }
        catch (ListRefusedException ex)
        {
            var r = ex.Refusal;
            return Problems.Create(http, ListsApi.StatusOf(r.Code), r.Code, r.Zh, r.En);
        }
    }

    private static async Task<IResult> List(HttpContext http, ListImporter importer, CancellationToken ct) =>
        Results.Ok(await importer.ListAsync(http.User.IsAdmin() ? null : http.User.DepartmentId() ?? -1, 100, ct));

    private static async Task<IResult> Get(HttpContext http, long id, ListImporter importer, CancellationToken ct)
    {
        var i = await importer.GetAsync(id, ct);
        if (i is null) return Problems.NotFound(http, $"导入批次 {id} 不存在", $"Import {id} does not exist");
        return http.User.CanAccessDepartment(i.DepartmentId) ? Results.Ok(i) : Problems.Forbidden(http);
    }

    private static async Task<IResult> Rejects(HttpContext http, long id, [FromQuery] string? format, ListImporter importer, CancellationToken ct)
    {
        var i = await importer.GetAsync(id, ct);
        if (i is null) return Problems.NotFound(http, $"导入批次 {id} 不存在", $"Import {id} does not exist");
        if (!http.User.CanAccessDepartment(i.DepartmentId)) return Problems.Forbidden(http);
        switch (format?.ToLowerInvariant())
        {
            case "xlsx":
            {
                var ms = new MemoryStream();
                await importer.WriteRejectsXlsxAsync(id, ms, ct);
                ms.Position = 0;
                return Results.File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"list-import-{id}-rejects.xlsx");
            }
            case "csv":
            {
                var ms = new MemoryStream();
                await importer.WriteRejectsCsvAsync(id, ms, ct);
                ms.Position = 0;
                return Results.File(ms, "text/csv; charset=utf-8", $"list-import-{id}-rejects.csv");
            }
            default:
                return Results.Ok((await importer.RejectsAsync(id, ct)).Select(r => new RejectDto(r.RowNumber, r.Field, r.Value, r.ReasonCode, r.ReasonZh, r.ReasonEn)));
        }
    }
}
