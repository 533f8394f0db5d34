using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Measures;
using Xinyong.Data.Departments;
using Xinyong.Data.Measures;
using Xinyong.Data.Subjects;
using Xinyong.Identifiers;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>
/// Joint rewards and punishments: the measure catalogue (JSON or .xlsx, import by the credit office), the department
/// question "which measures apply to matter M for subject S" and its per-measure feedback, feedback figures, lenient
/// rules and the roles through which measures reach a person.
/// </summary>
internal static class MeasuresApi
{
    public sealed record AskRequest(string? MatterKind, string? MatterRef, string? MatterTitle, string? SubjectCode, string? SubjectName, string? Department);

    public sealed record ReportRequest(string? MeasureId, bool? Applied, string? Action, string? ReasonNotApplied);

    public sealed record FeedbackRequest(IReadOnlyList<ReportRequest>? Reports);

    public sealed record LenientRequest(string? Kind, long? SubjectId, string? SubjectCode, long? ListEntryId, string? LegalBasis, string? Reason,
        DateOnly? ValidFrom, DateOnly? ValidUntil);

    public sealed record RevokeRequest(string? Reason);

    public sealed record RoleRequest(string? EntityCode, string? PersonCode, string? Role, DateOnly? ValidFrom, string? Source);

    public sealed record MeasureDto(string Id, string Kind, string Nature, string TextZh, string? TextEn, string LegalBasis, IReadOnlyList<string> Departments,
        IReadOnlyList<string> ListTypes, IReadOnlyList<string> MatterKinds, IReadOnlyList<string> ExtendsTo, DateOnly EffectiveFrom, DateOnly? EffectiveUntil);

    public sealed record CatalogueDto(string Version, DateOnly IssuedOn, IReadOnlyList<MeasureDto> Measures);

    public static void MapMeasuresApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/measures").WithTags("measures").RequireAuthorization();
        g.MapGet("/catalogue", Catalogue).WithSummary("The measure catalogue in force: JSON, or ?format=xlsx for the spreadsheet");
        g.MapPost("/catalogue", Import).DisableAntiforgery()
            .WithSummary("Import a catalogue spreadsheet as a new version (credit office): form fields file, version, issuedOn").ProducesProblem(422);
        g.MapGet("/catalogue/versions", async (MeasureCatalogueStore store, CancellationToken ct) => Results.Ok(await store.VersionsAsync(ct)))
            .WithSummary("Imported catalogue versions, newest first");
        g.MapGet("/matter-kinds", () => Results.Ok(MatterKinds.All)).WithSummary("The kinds of matter a question may name");
        g.MapPost("/queries", Ask).WithSummary("A department handles matter M for subject S (code or name): the measures that apply, each with its listing and legal basis")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/queries", List).WithSummary("Questions (own department for officers and systems); ?status=open|answered|overdue|nothing-to-report&from=&to=");
        g.MapGet("/queries/{id:long}", Get).WithSummary("A question with its measures and reports").ProducesProblem(404);
        g.MapPost("/queries/{id:long}/feedback", Feedback).WithSummary("Report per measure: applied (what was done) or not (why)")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/statistics", Statistics).WithSummary("Feedback figures per department for questions asked ?from=&to= (default: this year)");
        g.MapGet("/lenient-rules", async (LenientRuleStore store, CancellationToken ct) => Results.Ok((await store.ListAsync(ct: ct)).Select(LenientDto)))
            .WithSummary("Lenient rules (minor-failing exemptions, force-majeure suspensions), newest first");
        g.MapPost("/lenient-rules", CreateLenient).WithSummary("Set a lenient rule (staff): legal basis and reason required").ProducesProblem(400).ProducesProblem(403);
        g.MapPost("/lenient-rules/{id:long}/revoke", RevokeLenient).WithSummary("Revoke a lenient rule with a reason (staff)").ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/subject-roles", AddRole).WithSummary("Record that a person is legal representative / principal / actual controller of an entity")
            .ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> Catalogue(HttpContext http, [FromQuery] string? format, MeasureCatalogueStore store, CancellationToken ct)
    {
        var c = await store.CurrentAsync(ct);
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var ms = new MemoryStream();
            MeasureCatalogueSheet.Write(c, store.Types, await store.DepartmentNamesAsync(ct), ms);
            ms.Position = 0;
            return Results.File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"measure-catalogue-{c.Version}.xlsx");
        }
        return Results.Ok(new CatalogueDto(c.Version, c.IssuedOn, c.All.Select(m => new MeasureDto(m.Id, m.Kind.ToCode(), m.Nature, m.TextZh, m.TextEn, m.LegalBasis,
            m.Departments, m.ListTypes, m.MatterKinds, m.ExtendsTo, m.EffectiveFrom, m.EffectiveUntil)).ToList()));
    }

    private static async Task<IResult> Import(HttpContext http, MeasureCatalogueStore store, CancellationToken ct)
    {
        if (!http.User.IsAdmin()) return Problems.Create(http, 403, "forbidden", "只有市信用办管理员可以导入措施清单", "Only credit-office administrators may import the catalogue");
        if (!http.Request.HasFormContentType) return Problems.Create(http, 400, "file_required", "请在表单字段 file 中上传 .xlsx 文件", "Upload the .xlsx file in the form field 'file'");
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files["file"] ?? form.Files.FirstOrDefault();
        if (file is null || file.Length == 0) return Problems.Create(http, 400, "file_required", "请在表单字段 file 中上传 .xlsx 文件", "Upload the .xlsx file in the form field 'file'");
        DateOnly? issuedOn = null;
        if (form["issuedOn"].ToString() is { Length: > 0 } d)
        {
            if (!DateOnly.TryParse(d, CultureInfo.InvariantCulture, out var parsed))
                return Problems.Create(http, 400, "bad_date", $"发布日期“{d}”无法识别", $"Issue date '{d}' not understood");
            issuedOn = parsed;
        }
        return await Guard(http, async () =>
        {
            await using var s = file.OpenReadStream();
            var c = await store.ImportXlsxAsync(s, Path.GetFileName(file.FileName), form["version"].ToString(), issuedOn, http.User.ToActor(), ct);
            return Results.Created("/api/v1/measures/catalogue", new { c.Version, c.IssuedOn, measures = c.All.Count });
        });
    }

    private static async Task<IResult> Ask(HttpContext http, AskRequest body, MeasureQueries queries, DepartmentStore departments, CancellationToken ct)
    {
        var (dept, problem) = await DepartmentOf(http, body.Department, departments, ct);
        if (problem is not null) return problem;
        return await Guard(http, async () =>
        {
            var view = await queries.AskAsync(new MeasureQuestion(dept!.Id, body.MatterKind, body.MatterRef, body.MatterTitle, body.SubjectCode, body.SubjectName),
                http.User.ToActor(), ct);
            return Results.Created($"/api/v1/measures/queries/{view.Id}", Mask(view));
        });
    }

    private static async Task<IResult> List(HttpContext http, [FromQuery] string? status, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, MeasureQueries queries, CancellationToken ct)
    {
        long? dept = http.User.IsAdmin() ? null : http.User.DepartmentId() ?? -1;
        return Results.Ok(await queries.ListAsync(dept, status, from, to, ct: ct));
    }

    private static async Task<IResult> Get(HttpContext http, long id, MeasureQueries queries, CancellationToken ct)
    {
        var view = await queries.GetAsync(id, ct);
        if (view is null) return Problems.Create(http, 404, "query-not-found", $"查询 {id} 不存在", $"Query {id} does not exist");
        if (!http.User.CanAccessDepartment(view.DepartmentId)) return Problems.Forbidden(http);
        return Results.Ok(Mask(view));
    }

    private static async Task<IResult> Feedback(HttpContext http, long id, FeedbackRequest body, MeasureQueries queries, CancellationToken ct)
    {
        if (body.Reports is null || body.Reports.Count == 0)
            return Problems.Create(http, 400, "reports-required", "请在 reports 中至少反馈一项措施", "Report on at least one measure in 'reports'");
        if (body.Reports.FirstOrDefault(r => r.Applied is null) is { } missing)
            return Problems.Create(http, 400, "applied-required", $"措施 {missing.MeasureId} 请写明是否实施（applied: true/false）",
                $"State for measure {missing.MeasureId} whether it was applied (applied: true/false)");
        long? dept = http.User.IsAdmin() ? null : http.User.DepartmentId() ?? -1;
        return await Guard(http, async () =>
        {
            var view = await queries.ReportAsync(id, dept, body.Reports.Select(r => new MeasureReport(r.MeasureId, r.Applied!.Value, r.Action, r.ReasonNotApplied)).ToList(),
                http.User.ToActor(), ct);
            return Results.Ok(Mask(view));
        });
    }

    private static async Task<IResult> Statistics(HttpContext http, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, MeasureStatistics stats, MeasureQueries queries, CancellationToken ct)
    {
        var today = queries.Today;
        var rows = await stats.ByDepartmentAsync(from ?? new DateOnly(today.Year, 1, 1), to ?? today, ct);
        if (!http.User.IsAdmin()) rows = rows.Where(r => r.DepartmentId == http.User.DepartmentId()).ToList();
        return Results.Ok(rows.Select(r => new
        {
            r.DepartmentId, r.DepartmentName, r.Queries, r.QueriesToReport, r.QueriesAnswered, r.QueriesAnsweredOnTime, r.QueriesOverdue,
            r.Measures, r.Withheld, r.Applied, r.NotApplied, r.Outstanding, r.FeedbackRate, r.AppliedRate,
        }));
    }

    private static async Task<IResult> CreateLenient(HttpContext http, LenientRequest body, LenientRuleStore store, SubjectStore subjects, CancellationToken ct)
    {
        if (!IsStaff(http.User)) return StaffOnly(http);
        var subjectId = body.SubjectId;
        if (subjectId is null && !string.IsNullOrWhiteSpace(body.SubjectCode)) subjectId = (await subjects.FindByCodeAsync(body.SubjectCode, ct))?.Id;
        if (subjectId is null) return Problems.Create(http, 404, "subject-not-found", "请用 subjectId 或 subjectCode 指明平台中已有的主体", "Name an existing subject by subjectId or subjectCode");
        if (body.ValidFrom is null) return Problems.Create(http, 400, "valid-from-required", "请填写起始日期 validFrom", "State validFrom");
        return await Guard(http, async () =>
        {
            var rule = await store.CreateAsync(new LenientRuleDraft(body.Kind ?? "", subjectId.Value, body.ListEntryId, body.LegalBasis, body.Reason, body.ValidFrom.Value, body.ValidUntil),
                http.User.ToActor(), ct);
            return Results.Created($"/api/v1/measures/lenient-rules/{rule.Id}", RuleDto(rule));
        });
    }

    private static async Task<IResult> RevokeLenient(HttpContext http, long id, RevokeRequest body, LenientRuleStore store, CancellationToken ct)
    {
        if (!IsStaff(http.User)) return StaffOnly(http);
        return await Guard(http, async () => Results.Ok(RuleDto(await store.RevokeAsync(id, body.Reason, http.User.ToActor(), ct))));
    }

    private static async Task<IResult> AddRole(HttpContext http, RoleRequest body, SubjectRoleStore roles, SubjectStore subjects, CancellationToken ct)
    {
        var entity = string.IsNullOrWhiteSpace(body.EntityCode) ? null : await subjects.FindByCodeAsync(body.EntityCode, ct);
        var person = string.IsNullOrWhiteSpace(body.PersonCode) ? null : await subjects.FindByCodeAsync(body.PersonCode, ct);
        if (entity is null || person is null)
            return Problems.Create(http, 404, "subject-not-found", "请用代码指明平台中已有的单位（entityCode）和自然人（personCode，身份证号）",
                "Name an existing entity (entityCode) and person (personCode, ID number) by code");
        return await Guard(http, async () =>
        {
            var id = await roles.AddAsync(entity.Id, person.Id, body.Role ?? "", body.ValidFrom ?? DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)),
                string.IsNullOrWhiteSpace(body.Source) ? "api" : body.Source.Trim(), http.User.ToActor(), ct);
            return Results.Created($"/api/v1/measures/subject-roles/{id}", new { id, entityId = entity.Id, personId = person.Id, role = SubjectRoles.Find(body.Role)!.Code });
        });
    }

    /// <summary>The asking department: a system's or officer's own; an administrator names one.</summary>
    private static async Task<(Department? Department, IResult? Problem)> DepartmentOf(HttpContext http, string? requested, DepartmentStore departments, CancellationToken ct)
    {
        var user = http.User;
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var d = await departments.FindAsync(requested, ct);
            if (d is null) return (null, Problems.Create(http, 400, "unknown_department", $"未知的部门“{requested}”", $"Unknown department '{requested}'"));
            if (!user.CanAccessDepartment(d.Id)) return (null, Problems.Forbidden(http));
            return (d, null);
        }
        if (user.DepartmentId() is { } own) return (await departments.GetAsync(own, ct), null);
        return (null, Problems.Create(http, 400, "department_required", "请用 department 指明办理事项的部门", "Name the handling department in 'department'"));
    }

    /// <summary>Refusals from the domain and the stores as problem details (Chinese and English reason).</summary>
    private static async Task<IResult> Guard(HttpContext http, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (RefusedException e)
        {
            var status = e.Kind switch
            {
                RefusalKind.Forbidden => 403,
                RefusalKind.Conflict or RefusalKind.TooEarly => 409,
                _ when e.Code.EndsWith("-not-found", StringComparison.Ordinal) => 404,
                _ => 400,
            };
            return Problems.Create(http, status, e.Code, e.Zh, e.En);
        }
        catch (SubjectNotResolvedException e)
        {
            return Problem(http, e.Code == "subject-ambiguous" ? 409 : 404, e.Code, e.Zh, e.En, "candidates", e.Candidates);
        }
        catch (CatalogueInvalidException e)
        {
            return Problems.Create(http, 422, "catalogue-invalid", $"措施清单有 {e.Issues.Count} 处问题，未导入", $"The catalogue has {e.Issues.Count} problems and was not imported",
                e.Issues.Select(i => new { i.Row, i.MeasureId, i.Field, i.Zh, i.En }));
        }
    }

    private static IResult Problem(HttpContext http, int status, string code, string zh, string en, string key, object value)
    {
        var english = http.Request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase);
        return Results.Problem(statusCode: status, title: code, detail: english ? en : zh, type: $"https://xinyong.example/problems/{code}",
            extensions: new Dictionary<string, object?> { ["code"] = code, ["detailZh"] = zh, ["detailEn"] = en, [key] = value });
    }

    private static bool IsStaff(ClaimsPrincipal user) => user.ToActor().Kind == Core.Auditing.ActorKind.User;

    private static IResult StaffOnly(HttpContext http) =>
        Problems.Create(http, 403, "staff-only", "包容审慎规则由工作人员在工作台设定，部门系统令牌不能设定", "Lenient rules are set by staff, not by department systems");

    private static QueryView Mask(QueryView v) => v.SubjectKind == "natural_person" ? v with { SubjectName = Masking.MaskPersonName(v.SubjectName) } : v;

    private static object RuleDto(LenientRule r) => new
    {
        r.Id, r.Kind, KindZh = LenientKinds.ToChinese(r.Kind), r.SubjectId, r.ListEntryId, r.LegalBasis, r.Reason, r.ValidFrom, r.ValidUntil, r.RevokedOn, r.RevokeReason,
    };

    private static object LenientDto(LenientRuleRow r) => new
    {
        r.Rule.Id, r.Rule.Kind, KindZh = LenientKinds.ToChinese(r.Rule.Kind), r.Rule.SubjectId,
        SubjectName = r.SubjectKind == "natural_person" ? Masking.MaskPersonName(r.SubjectName) : r.SubjectName, r.Rule.ListEntryId, r.ListType,
        r.Rule.LegalBasis, r.Rule.Reason, r.Rule.ValidFrom, r.Rule.ValidUntil, r.Rule.RevokedOn, r.Rule.RevokeReason, r.CreatedBy, r.CreatedAt,
    };
}
