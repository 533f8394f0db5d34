using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Objections;
using Xinyong.Data.Departments;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Objections;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>
/// Objections (异议): filed by the subject on the public API (identified by its code and a contact) or by staff on its
/// behalf; handled by the department that provided the item (acknowledge, verify, decide once); the credit office sees all.
/// </summary>
public static class ObjectionsApi
{
    public sealed record FileObjectionRequest(string? Code, long? SubjectId, ObjectionTargetKind TargetKind, long TargetId, string? ContactName, string? ContactPhone, string? Claim);

    public sealed record VerifyRequest(string? Note);

    public sealed record CorrectionRequest(string Field, string? NewValue, string? OldValue);

    public sealed record DecideRequest(ObjectionOutcome Outcome, string? Reasons, IReadOnlyList<CorrectionRequest>? Corrections, bool Withdraw);

    public sealed record ObjectionDto(long Id, string Reference, long SubjectId, ObjectionTargetKind TargetKind, long TargetId, long DepartmentId,
        string Channel, string Status, string StatusZh, DateOnly FiledOn, DateOnly AcknowledgeBy, DateOnly VerifyBy, DateOnly DecideBy, DateOnly? NextDeadline,
        bool Overdue, DateOnly? EscalatedOn, string Claim, string? VerificationNote, ObjectionOutcome? Outcome, string? Reasons,
        IReadOnlyList<FieldCorrection> Corrections, bool Withdraw, int? CorrectedVersion, string RuleSet);

    public sealed record ObjectionDetailDto(ObjectionDto Objection, string ContactName, string ContactPhone, IReadOnlyList<CaseStep> Steps,
        IReadOnlyList<EvidenceFile> Evidence, IReadOnlyList<CaseNotice> Notices);

    public static void MapObjectionsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/objections").WithTags("objections").RequireAuthorization();
        g.MapGet("/", Queue).WithSummary("Objections of the caller's department (all for the credit office), open first and overdue first");
        g.MapGet("/{id:long}", Get).WithSummary("One objection with its steps, evidence and notices").ProducesProblem(404);
        g.MapPost("/", FileForSubject).WithSummary("Files an objection on behalf of a subject (staff channel)").ProducesProblem(400);
        g.MapPost("/{id:long}/acknowledge", Acknowledge).WithSummary("Registers and compares the objection with the source (登记比对)");
        g.MapPost("/{id:long}/verify", Verify).WithSummary("The providing department's verification (核查)");
        g.MapPost("/{id:long}/decide", Decide).WithSummary("The decision, once: upheld (corrections or withdrawal), partly upheld, rejected with reasons")
            .ProducesProblem(403).ProducesProblem(409);
        g.MapPost("/{id:long}/evidence", Evidence).DisableAntiforgery().WithSummary("Attaches evidence files (multipart)");

        var p = app.MapGroup("/api/v1/public/objections").WithTags("public").AllowAnonymous();
        p.MapPost("/", FilePublic).WithSummary("A subject files an objection against one of its records or list entries (identified by its code and a contact)")
            .ProducesProblem(400).ProducesProblem(409);
    }

    internal static ObjectionDto ToDto(StoredObjection s, DateOnly today)
    {
        var o = s.Objection;
        return new ObjectionDto(o.Id, s.Reference, o.SubjectId, o.TargetKind, o.TargetId, o.DepartmentId, o.Channel, ObjectionStore.StatusCode(o.Status),
            Objection.StatusZh(o.Status), o.FiledOn, o.AcknowledgeBy, o.VerifyBy, o.DecideBy, o.NextDeadline, o.IsOverdue(today), o.EscalatedOn, o.Claim,
            o.VerificationNote, o.Outcome, o.Reasons, o.Corrections, o.Withdraw, s.CorrectedVersion, o.RuleSetId);
    }

    private static async Task<IResult> Queue(HttpContext http, [FromQuery] bool? open, [FromQuery] long? department, ObjectionStore store, DepartmentStore departments,
        CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        var scope = DueProcessHttp.Scope(handler) ?? department;
        var today = store.Today;
        var items = (await store.ListAsync(scope, null, open ?? true, 500, ct)).Select(s => ToDto(s, today))
            .OrderByDescending(d => d.Overdue).ThenBy(d => d.NextDeadline ?? DateOnly.MaxValue).ThenBy(d => d.Id).ToList();
        return Results.Ok(items);
    }

    private static async Task<IResult> Get(HttpContext http, long id, ObjectionStore store, CaseFiles files, DepartmentStore departments, CancellationToken ct)
    {
        var s = await store.GetAsync(id, ct);
        if (s is null) return DueProcessHttp.CaseNotFound(http, CaseKinds.Objection, id);
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        if (!handler.MayHandle(s.Objection.DepartmentId)) return Problems.Forbidden(http);
        return Results.Ok(new ObjectionDetailDto(ToDto(s, store.Today), s.Objection.ContactName, s.Objection.ContactPhone, await store.StepsAsync(id, ct),
            await files.EvidenceAsync(CaseKinds.Objection, id, ct), await files.NoticesAsync(CaseKinds.Objection, id, ct: ct)));
    }

    private static Task<IResult> FileForSubject(HttpContext http, FileObjectionRequest body, ObjectionStore store, SubjectStore subjects, CancellationToken ct) =>
        FileAsync(http, body, "staff", http.User.ToActor(), store, subjects, ct);

    private static Task<IResult> FilePublic(HttpContext http, FileObjectionRequest body, ObjectionStore store, SubjectStore subjects, CancellationToken ct)
    {
        var code = (body.Code ?? "").Trim();
        return FileAsync(http, body with { SubjectId = null }, "online", new Actor(ActorKind.User, "public:" + code), store, subjects, ct);
    }

    /// <summary>The subject is found by its code (the public channel must give it); staff may also name it by id.</summary>
    internal static async Task<IResult> FileAsync(HttpContext http, FileObjectionRequest body, string channel, Actor actor, ObjectionStore store, SubjectStore subjects,
        CancellationToken ct)
    {
        long subjectId;
        if (body.SubjectId is { } sid && channel == "staff") subjectId = sid;
        else if (!string.IsNullOrWhiteSpace(body.Code) && await subjects.FindByCodeAsync(body.Code, ct) is { } found) subjectId = found.Id;
        else return Problems.Create(http, 400, "subject_code_required", "请填写本单位（本人）的统一社会信用代码或身份证号码", "Give the subject's unified social credit code or ID number");
        return await DueProcessHttp.Step(http, CaseKinds.Objection, 0, async () =>
        {
            var s = await store.FileAsync(new ObjectionFiling(subjectId, body.TargetKind, body.TargetId, 0, channel, body.ContactName ?? "", body.ContactPhone ?? "",
                body.Claim ?? "", actor.ToString()), actor, ct);
            return Results.Created($"/api/v1/public/cases/{s.Reference}", ToDto(s, store.Today));
        });
    }

    private static async Task<IResult> Acknowledge(HttpContext http, long id, ObjectionStore store, DepartmentStore departments, CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        return await DueProcessHttp.Step(http, CaseKinds.Objection, id, async () => Results.Ok(ToDto(await store.AcknowledgeAsync(id, handler, http.User.ToActor(), ct), store.Today)));
    }

    private static async Task<IResult> Verify(HttpContext http, long id, VerifyRequest body, ObjectionStore store, DepartmentStore departments, CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        return await DueProcessHttp.Step(http, CaseKinds.Objection, id, async () =>
            Results.Ok(ToDto(await store.VerifyAsync(id, handler, body.Note ?? "", http.User.ToActor(), ct), store.Today)));
    }

    private static async Task<IResult> Decide(HttpContext http, long id, DecideRequest body, ObjectionStore store, ObjectionCorrections corrections,
        DepartmentStore departments, CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        return await DueProcessHttp.Step(http, CaseKinds.Objection, id, async () =>
        {
            var current = await store.GetAsync(id, ct) ?? throw new CaseNotFoundException(CaseKinds.Objection, id);
            var values = current.Objection.TargetKind == ObjectionTargetKind.Record
                ? await corrections.CurrentValuesAsync(current.Objection.TargetId, ct)
                : new Dictionary<string, string?>();
            var fields = (body.Corrections ?? []).Select(c => new FieldCorrection(c.Field, c.OldValue ?? values.GetValueOrDefault(c.Field), c.NewValue)).ToList();
            return Results.Ok(ToDto(await store.DecideAsync(id, handler, body.Outcome, body.Reasons, fields, body.Withdraw, http.User.ToActor(), ct), store.Today));
        });
    }

    private static async Task<IResult> Evidence(HttpContext http, long id, ObjectionStore store, CaseFiles files, DepartmentStore departments, CancellationToken ct)
    {
        var s = await store.GetAsync(id, ct);
        if (s is null) return DueProcessHttp.CaseNotFound(http, CaseKinds.Objection, id);
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        if (!handler.MayHandle(s.Objection.DepartmentId)) return Problems.Forbidden(http);
        if (!http.Request.HasFormContentType) return Problems.Create(http, 400, "multipart_required", "请以 multipart/form-data 上传文件", "Upload files as multipart/form-data");
        var form = await http.Request.ReadFormAsync(ct);
        return await DueProcessHttp.Step(http, CaseKinds.Objection, id, async () =>
            Results.Ok(await DueProcessHttp.AttachFormFilesAsync(form.Files, CaseKinds.Objection, id, files, http.User.ToActor(), ct)));
    }
}
