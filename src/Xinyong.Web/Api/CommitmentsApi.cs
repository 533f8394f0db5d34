using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Commitments;
using Xinyong.Data.Commitments;
using Xinyong.Data.Departments;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>
/// Credit commitments: departments register (JSON or a file), track and decide them with their token or staff sign-in;
/// subjects make their own online (public, by code and contact); coverage figures against the work plan's targets.
/// </summary>
internal static class CommitmentsApi
{
    public sealed record RegisterRequest(string? Kind, long? SubjectId, string? Code, string? Content, string? Matter, DateOnly? MadeOn, DateOnly? DueOn,
        string? LegalBasis, string? BusinessKey, bool? Publish, string? Department);

    public sealed record StepRequest(string? Note, string? Facts, string? Reason, string? DecisionNumber, string? LegalBasis, string? Grade);

    public sealed record OnlineRequest(string? Code, string? Kind, string? Content, string? ContactName, string? ContactPhone);

    public sealed record CommitmentDto(long Id, string Kind, string KindName, long SubjectId, long DepartmentId, string Channel, string Status, string StatusZh,
        string Content, string? Matter, string LegalBasis, DateOnly MadeOn, DateOnly? DueOn, DateOnly? PublishedOn, DateOnly? FulfilledOn,
        DateOnly? SuspectedOn, DateOnly? ConfirmedOn, string? BreachDecisionNumber, string? BreachFacts, string? BreachBasis, string? BreachGrade,
        long? BreachRecordId, DateOnly? ClearedOn, string? BusinessKey);

    public sealed record EventDto(string From, string To, DateOnly On, string? Note, string Actor, DateTime At);

    public sealed record KindDto(string Id, string NameZh, string NameEn, string LegalBasisZh, string LegalBasisEn, bool OnlineBySubject, bool MatterRequired);

    public static void MapCommitmentsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/commitments").WithTags("commitments").RequireAuthorization();
        g.MapPost("/", Register).WithSummary("Register a commitment made to the caller's department (published at once unless publish=false)")
            .Produces<CommitmentDto>(201).Produces<CommitmentDto>(200).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        g.MapPost("/import", Import).DisableAntiforgery().WithSummary("Register commitments from a CSV, .xlsx or JSON file (multipart field 'file'); per-row errors")
            .Produces<CommitmentImportResult>().ProducesProblem(400);
        g.MapGet("/", List).WithSummary("Commitments of the caller's department (all for the credit office), newest first");
        g.MapGet("/coverage", Coverage).WithSummary("Coverage per work-plan target, kind and department");
        g.MapGet("/{id:long}", Get).WithSummary("A commitment with its history").ProducesProblem(404);
        g.MapPost("/{id:long}/{step:regex(^(publish|fulfil|suspect-breach|confirm-breach|clear)$)}", Step)
            .WithSummary("A step of the commitment: publish, fulfil (note), suspect-breach (facts), confirm-breach (decisionNumber, facts, legalBasis, grade), clear (reason)")
            .Produces<CommitmentDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var pub = app.MapGroup("/api/v1/public/commitments").WithTags("public").AllowAnonymous();
        pub.MapGet("/kinds", Kinds).WithSummary("The commitment kinds with their legal basis");
        pub.MapPost("/", Online).DisableAntiforgery().WithSummary("A subject makes a commitment online, identified by its credit code and a contact")
            .Produces<CommitmentDto>(201).ProducesProblem(400).ProducesProblem(404);
        pub.MapGet("/subjects/{id:long}", ForSubject).WithSummary("A subject's commitments on public view");
    }

    private static async Task<IResult> Register(HttpContext http, RegisterRequest body, CommitmentStore store, SubjectStore subjects, DepartmentStore departments,
        CancellationToken ct)
    {
        var subjectId = body.SubjectId ?? 0;
        if (subjectId == 0 && !string.IsNullOrWhiteSpace(body.Code)) subjectId = (await subjects.FindByCodeAsync(body.Code, ct))?.Id ?? 0;
        if (subjectId == 0) return Problems.Create(http, 404, "unknown-subject", "请用 subjectId 或 code 指定平台上已有的主体", "Name a subject on the platform by subjectId or code");
        long department = 0;
        if (body.Department is { Length: > 0 } named)
        {
            department = (await departments.FindAsync(named, ct))?.Id ?? -1;
            if (department < 0) return Problems.Create(http, 400, "unknown-department", $"未知的部门“{named}”", $"Unknown department '{named}'");
        }
        var channel = http.User.FindFirst(StaffAuth.ActorKindClaim)?.Value == "token" ? CommitmentChannels.Api : CommitmentChannels.Form;
        return await Guard(http, async () =>
        {
            var (c, created) = await store.RegisterAsync(new CommitmentDraft(body.Kind ?? "", subjectId, department, body.Content, body.Matter,
                body.MadeOn ?? store.Today, body.DueOn, channel, body.LegalBasis, body.BusinessKey), http.User.ToActor(), body.Publish ?? true, ct);
            var dto = ToDto(c, store.Kinds);
            return created ? Results.Created($"/api/v1/commitments/{c.Id}", dto) : Results.Ok(dto);
        });
    }

    private static async Task<IResult> Import(HttpContext http, [FromQuery] bool? publish, [FromQuery] string? department, CommitmentImport import,
        DepartmentStore departments, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) return Problems.Create(http, 400, "file-required", "请在表单字段 file 中上传文件", "Upload the file in the form field 'file'");
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files["file"] ?? form.Files.FirstOrDefault();
        if (file is null || file.Length == 0) return Problems.Create(http, 400, "file-required", "请在表单字段 file 中上传非空文件", "Upload a non-empty file in the form field 'file'");
        var dept = department is { Length: > 0 } ? await departments.FindAsync(department, ct) : await departments.GetAsync(http.User.DepartmentId() ?? -1, ct);
        if (dept is null) return Problems.Create(http, 400, "department-required", "请用 ?department= 指定受理部门", "Name the receiving department with ?department=");
        if (!http.User.CanAccessDepartment(dept.Id) && !await IsCreditOfficeAsync(http, departments, ct)) return Problems.Forbidden(http);
        await using var s = new MemoryStream();
        await file.CopyToAsync(s, ct);
        s.Position = 0;
        var result = await import.ImportAsync(s, Path.GetFileName(file.FileName), dept.Id, CommitmentChannels.File, http.User.ToActor(), publish ?? true, ct);
        return Results.Ok(result);
    }

    private static async Task<IResult> List(HttpContext http, [FromQuery] string? kind, [FromQuery] string? status, [FromQuery] long? subjectId, [FromQuery] int? page,
        CommitmentStore store, DepartmentStore departments, CancellationToken ct)
    {
        var all = http.User.IsAdmin() || await IsCreditOfficeAsync(http, departments, ct);
        var (items, total) = await store.ListAsync(new CommitmentFilter(all ? null : http.User.DepartmentId() ?? -1, kind, status, subjectId), page ?? 1, 50, ct);
        return Results.Ok(new { total, page = page ?? 1, items });
    }

    private static async Task<IResult> Get(HttpContext http, long id, CommitmentStore store, DepartmentStore departments, CancellationToken ct)
    {
        var c = await store.GetAsync(id, ct);
        if (c is null) return Problems.NotFound(http, $"承诺 {id} 不存在", $"Commitment {id} does not exist");
        if (!http.User.CanAccessDepartment(c.DepartmentId) && !await IsCreditOfficeAsync(http, departments, ct)) return Problems.Forbidden(http);
        var history = (await store.HistoryAsync(id, ct)).Select(e => new EventDto(e.FromStatus, e.ToStatus, e.OnDate, e.Note, e.Actor, e.At)).ToList();
        return Results.Ok(new { commitment = ToDto(c, store.Kinds), history });
    }

    private static Task<IResult> Step(HttpContext http, long id, string step, StepRequest? body, CommitmentStore store, CancellationToken ct)
    {
        var actor = http.User.ToActor();
        var b = body ?? new StepRequest(null, null, null, null, null, null);
        return Guard(http, async () =>
        {
            var c = step switch
            {
                "publish" => await store.PublishAsync(id, actor, ct),
                "fulfil" => await store.FulfilAsync(id, b.Note, actor, ct),
                "suspect-breach" => await store.SuspectBreachAsync(id, b.Facts ?? b.Note, actor, ct),
                "confirm-breach" => await store.ConfirmBreachAsync(id, new BreachFinding(b.DecisionNumber, b.Facts, b.LegalBasis, b.Grade), actor, ct),
                _ => await store.ClearAsync(id, b.Reason ?? b.Note, actor, ct),
            };
            return Results.Ok(ToDto(c, store.Kinds));
        });
    }

    private static async Task<IResult> Coverage(CommitmentCoverage coverage, CommitmentStore store, CancellationToken ct) =>
        Results.Ok(await coverage.ComputeAsync(store.Today, ct));

    private static IResult Kinds(CommitmentStore store) => Results.Ok(store.Kinds.InForce(store.Today)
        .Select(k => new KindDto(k.Id, k.NameZh, k.NameEn, k.LegalBasisZh, k.LegalBasisEn, k.OnlineBySubject, k.MatterRequired)));

    private static Task<IResult> Online(HttpContext http, OnlineRequest body, CommitmentStore store, CancellationToken ct) =>
        Guard(http, async () =>
        {
            var c = await store.MakeOnlineAsync(body.Code, body.Kind ?? "voluntary", body.Content, body.ContactName, body.ContactPhone, ct);
            return Results.Created($"/subjects/{c.SubjectId}#commitments", ToDto(c, store.Kinds) with { BusinessKey = null });
        });

    private static async Task<IResult> ForSubject(long id, PublicCommitments commitments, CommitmentStore store, CancellationToken ct) =>
        Results.Ok(await commitments.ForSubjectAsync(id, store.Today, ct));

    /// <summary>Runs a step and turns the domain's refusal into a problem response with its reason in both languages.</summary>
    internal static async Task<IResult> Guard(HttpContext http, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (CommitmentRefusedException ex)
        {
            var r = ex.Refusal;
            var status = r.Kind switch
            {
                CommitmentRefusalKind.Conflict => 409,
                CommitmentRefusalKind.Forbidden => 403,
                CommitmentRefusalKind.NotFound => 404,
                _ => 400,
            };
            return Problems.Create(http, status, r.Code, r.Zh, r.En, new { field = r.Field });
        }
    }

    private static async Task<bool> IsCreditOfficeAsync(HttpContext http, DepartmentStore departments, CancellationToken ct) =>
        http.User.DepartmentId() is { } d && (await departments.GetAsync(d, ct))?.IsCreditOffice == true;

    internal static CommitmentDto ToDto(Commitment c, CommitmentKindCatalogue kinds) => new(c.Id, c.Kind, kinds.Latest(c.Kind)?.NameZh ?? c.Kind, c.SubjectId,
        c.DepartmentId, c.Channel, c.Status, CommitmentStatus.ToChinese(c.Status), c.Content, c.Matter, c.LegalBasis, c.MadeOn, c.DueOn, c.PublishedOn, c.FulfilledOn,
        c.SuspectedOn, c.ConfirmedOn, c.BreachDecisionNumber, c.BreachFacts, c.BreachBasis, c.BreachGrade, c.BreachRecordId, c.ClearedOn, c.BusinessKey);
}
