using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Auditing;
using Xinyong.Core.Repair;
using Xinyong.Data.Departments;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Objections;
using Xinyong.Data.Repair;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>
/// Credit repair (信用修复): applied for by the subject once the minimum publicity period has passed, decided by the
/// department that made the finding (谁认定谁修复) or the credit office. Also the public case look-up for both kinds of case.
/// </summary>
public static class RepairApi
{
    public sealed record ApplyRequest(string? Code, long? SubjectId, long RecordId, string? ContactName, string? ContactPhone, bool ObligationsPerformed,
        string? ObligationsNote, bool CommitmentMade, string? CommitmentText);

    public sealed record RejectRequest(string? Reasons, DateOnly? ReapplyFrom);

    public sealed record RepairDto(long Id, string Reference, long SubjectId, long RecordId, long DepartmentId, string Channel, string Status, string StatusZh,
        DateOnly SubmittedOn, DateOnly EarliestRepairDate, DateOnly AcceptBy, DateOnly DecideBy, DateOnly? NextDeadline, bool Overdue, DateOnly? EscalatedOn,
        string ObligationsNote, string CommitmentText, string? Reasons, DateOnly? ReapplyFrom, string RuleSet);

    public sealed record RepairDetailDto(RepairDto Application, string ContactName, string ContactPhone, IReadOnlyList<CaseStep> Steps,
        IReadOnlyList<EvidenceFile> Evidence, IReadOnlyList<CaseNotice> Notices);

    /// <summary>What the subject sees when it looks its case up: status, deadlines, outcome; no staff names.</summary>
    public sealed record PublicCaseDto(string Kind, string Reference, string Status, string StatusZh, DateOnly FiledOn, DateOnly? NextDeadline, string? Outcome,
        string? Reasons, DateOnly? ReapplyFrom, IReadOnlyList<string> Evidence, IReadOnlyList<CaseNotice> Notices);

    public static void MapRepairApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/repairs").WithTags("repairs").RequireAuthorization();
        g.MapGet("/", Queue).WithSummary("Repair applications of the caller's department (all for the credit office), overdue first");
        g.MapGet("/{id:long}", Get).WithSummary("One application with its steps, evidence and notices").ProducesProblem(404);
        g.MapPost("/", ApplyForSubject).WithSummary("Submits an application on behalf of a subject (staff channel)");
        g.MapPost("/{id:long}/accept", Accept).WithSummary("受理");
        g.MapPost("/{id:long}/approve", Approve).WithSummary("Grants repair: the record stops being published and shared, related list entries end")
            .ProducesProblem(403).ProducesProblem(409);
        g.MapPost("/{id:long}/reject", Reject).WithSummary("Refuses with reasons and the date a new application is possible");
        g.MapPost("/{id:long}/evidence", Evidence).DisableAntiforgery().WithSummary("Attaches evidence files (multipart)");
        g.MapGet("/evidence/{evidenceId:long}", Download).WithSummary("Downloads an evidence file of an objection or application");

        var p = app.MapGroup("/api/v1/public").WithTags("public").AllowAnonymous();
        p.MapPost("/repairs", ApplyPublic).WithSummary("A subject applies for credit repair of one of its records").ProducesProblem(422).ProducesProblem(409);
        p.MapGet("/records/{recordId:long}/repair", Outlook).WithSummary("When repair of a record may be applied for, and whether an application is open");
        p.MapGet("/cases/{reference}", Lookup).WithSummary("A subject looks its objection or repair case up (reference and contact phone)").ProducesProblem(404);
        p.MapPost("/cases/{reference}/evidence", PublicEvidence).DisableAntiforgery().WithSummary("The subject adds evidence to its open case (multipart)");
    }

    internal static RepairDto ToDto(StoredRepair s, DateOnly today)
    {
        var a = s.Application;
        return new RepairDto(a.Id, s.Reference, a.SubjectId, a.RecordId, a.DepartmentId, a.Channel, RepairStore.StatusCode(a.Status), RepairApplication.StatusZh(a.Status),
            a.SubmittedOn, a.EarliestRepairDate, a.AcceptBy, a.DecideBy, a.NextDeadline, a.IsOverdue(today), a.EscalatedOn, a.ObligationsNote, s.CommitmentText,
            a.Reasons, a.ReapplyFrom, a.RuleSetId);
    }

    private static async Task<IResult> Queue(HttpContext http, [FromQuery] bool? open, [FromQuery] long? department, RepairStore store, DepartmentStore departments,
        CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        var scope = DueProcessHttp.Scope(handler) ?? department;
        var today = store.Today;
        return Results.Ok((await store.ListAsync(scope, null, open ?? true, 500, ct)).Select(s => ToDto(s, today))
            .OrderByDescending(d => d.Overdue).ThenBy(d => d.NextDeadline ?? DateOnly.MaxValue).ThenBy(d => d.Id).ToList());
    }

    private static async Task<IResult> Get(HttpContext http, long id, RepairStore store, CaseFiles files, DepartmentStore departments, CancellationToken ct)
    {
        var s = await store.GetAsync(id, ct);
        if (s is null) return DueProcessHttp.CaseNotFound(http, CaseKinds.Repair, id);
        if (!(await DueProcessHttp.HandlerAsync(http.User, departments, ct)).MayHandle(s.Application.DepartmentId)) return Problems.Forbidden(http);
        return Results.Ok(new RepairDetailDto(ToDto(s, store.Today), s.Application.ContactName, s.Application.ContactPhone, await store.StepsAsync(id, ct),
            await files.EvidenceAsync(CaseKinds.Repair, id, ct), await files.NoticesAsync(CaseKinds.Repair, id, ct: ct)));
    }

    private static Task<IResult> ApplyForSubject(HttpContext http, ApplyRequest body, RepairStore store, SubjectStore subjects, CancellationToken ct) =>
        ApplyAsync(http, body, "staff", http.User.ToActor(), store, subjects, ct);

    private static Task<IResult> ApplyPublic(HttpContext http, ApplyRequest body, RepairStore store, SubjectStore subjects, CancellationToken ct) =>
        ApplyAsync(http, body with { SubjectId = null }, "online", new Actor(ActorKind.User, "public:" + (body.Code ?? "").Trim()), store, subjects, ct);

    internal static async Task<IResult> ApplyAsync(HttpContext http, ApplyRequest body, string channel, Actor actor, RepairStore store, SubjectStore subjects,
        CancellationToken ct)
    {
        long subjectId;
        if (body.SubjectId is { } sid && channel == "staff") subjectId = sid;
        else if (!string.IsNullOrWhiteSpace(body.Code) && await subjects.FindByCodeAsync(body.Code, ct) is { } found) subjectId = found.Id;
        else return Problems.Create(http, 400, "subject_code_required", "请填写本单位（本人）的统一社会信用代码或身份证号码", "Give the subject's unified social credit code or ID number");
        return await DueProcessHttp.Step(http, CaseKinds.Repair, 0, async () =>
        {
            var s = await store.SubmitAsync(new RepairRequest(subjectId, body.RecordId, 0, channel, body.ContactName ?? "", body.ContactPhone ?? "",
                body.ObligationsPerformed, body.ObligationsNote ?? "", body.CommitmentMade, actor.ToString()), body.CommitmentText ?? "", actor, ct);
            return Results.Created($"/api/v1/public/cases/{s.Reference}", ToDto(s, store.Today));
        });
    }

    private static async Task<IResult> Accept(HttpContext http, long id, RepairStore store, DepartmentStore departments, CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        return await DueProcessHttp.Step(http, CaseKinds.Repair, id, async () => Results.Ok(ToDto(await store.AcceptAsync(id, handler, http.User.ToActor(), ct), store.Today)));
    }

    private static async Task<IResult> Approve(HttpContext http, long id, RepairStore store, DepartmentStore departments, CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        return await DueProcessHttp.Step(http, CaseKinds.Repair, id, async () => Results.Ok(ToDto(await store.ApproveAsync(id, handler, http.User.ToActor(), ct), store.Today)));
    }

    private static async Task<IResult> Reject(HttpContext http, long id, RejectRequest body, RepairStore store, DepartmentStore departments, CancellationToken ct)
    {
        var handler = await DueProcessHttp.HandlerAsync(http.User, departments, ct);
        return await DueProcessHttp.Step(http, CaseKinds.Repair, id, async () =>
            Results.Ok(ToDto(await store.RejectAsync(id, handler, body.Reasons ?? "", body.ReapplyFrom, http.User.ToActor(), ct), store.Today)));
    }

    private static async Task<IResult> Evidence(HttpContext http, long id, RepairStore store, CaseFiles files, DepartmentStore departments, CancellationToken ct)
    {
        var s = await store.GetAsync(id, ct);
        if (s is null) return DueProcessHttp.CaseNotFound(http, CaseKinds.Repair, id);
        if (!(await DueProcessHttp.HandlerAsync(http.User, departments, ct)).MayHandle(s.Application.DepartmentId)) return Problems.Forbidden(http);
        if (!http.Request.HasFormContentType) return Problems.Create(http, 400, "multipart_required", "请以 multipart/form-data 上传文件", "Upload files as multipart/form-data");
        var form = await http.Request.ReadFormAsync(ct);
        return await DueProcessHttp.Step(http, CaseKinds.Repair, id, async () =>
            Results.Ok(await DueProcessHttp.AttachFormFilesAsync(form.Files, CaseKinds.Repair, id, files, http.User.ToActor(), ct)));
    }

    private static async Task<IResult> Download(HttpContext http, long evidenceId, CaseFiles files, ObjectionStore objections, RepairStore repairs,
        DepartmentStore departments, CancellationToken ct)
    {
        if (await files.ContentAsync(evidenceId, ct) is not { } found) return Problems.NotFound(http, "没有该证明材料", "No such evidence file");
        long? department = found.File.CaseKind == CaseKinds.Objection
            ? (await objections.GetAsync(found.File.CaseId, ct))?.Objection.DepartmentId
            : (await repairs.GetAsync(found.File.CaseId, ct))?.Application.DepartmentId;
        if (department is null || !(await DueProcessHttp.HandlerAsync(http.User, departments, ct)).MayHandle(department.Value)) return Problems.Forbidden(http);
        return Results.File(found.Content, found.File.ContentType, found.File.FileName);
    }

    private static async Task<IResult> Outlook(HttpContext http, long recordId, RepairStore store, CancellationToken ct) =>
        await store.OutlookAsync(recordId, ct) is { } o
            ? Results.Ok(new { o.RecordId, o.EarliestDate, RepairableNow = o.EndedReason is null && !o.OpenNow && o.EarliestDate is { } e && e <= store.Today
                && (o.ReapplyFrom is null || o.ReapplyFrom <= store.Today), o.OpenNow, o.ReapplyFrom, o.EndedReason })
            : Problems.NotFound(http, "没有该记录", "No such record");

    private static async Task<IResult> Lookup(HttpContext http, string reference, [FromQuery] string? phone, ObjectionStore objections, RepairStore repairs,
        CaseFiles files, CancellationToken ct) =>
        await PublicCaseAsync(reference, phone ?? "", objections, repairs, files, ct) is { } dto
            ? Results.Ok(dto)
            : Problems.NotFound(http, "未找到该案件：请核对受理编号和申请时填写的联系电话", "No such case: check the reference and the contact phone given when filing");

    internal static async Task<PublicCaseDto?> PublicCaseAsync(string reference, string phone, ObjectionStore objections, RepairStore repairs, CaseFiles files,
        CancellationToken ct)
    {
        if (await objections.FindForSubjectAsync(reference, phone, ct) is { } so)
        {
            var o = so.Objection;
            return new PublicCaseDto(CaseKinds.Objection, so.Reference, ObjectionStore.StatusCode(o.Status), Xinyong.Core.Objections.Objection.StatusZh(o.Status),
                o.FiledOn, o.NextDeadline, o.Outcome is { } oc ? ObjectionStore.Code(oc) : null, o.Reasons, null,
                (await files.EvidenceAsync(CaseKinds.Objection, o.Id, ct)).Select(e => e.FileName).ToList(),
                (await files.NoticesAsync(CaseKinds.Objection, o.Id, ct: ct)).Where(n => n.RecipientKind == "subject").ToList());
        }
        if (await repairs.FindForSubjectAsync(reference, phone, ct) is { } sr)
        {
            var a = sr.Application;
            return new PublicCaseDto(CaseKinds.Repair, sr.Reference, RepairStore.StatusCode(a.Status), RepairApplication.StatusZh(a.Status), a.SubmittedOn,
                a.NextDeadline, a.Status is RepairStatus.Approved or RepairStatus.Rejected ? RepairStore.StatusCode(a.Status) : null, a.Reasons, a.ReapplyFrom,
                (await files.EvidenceAsync(CaseKinds.Repair, a.Id, ct)).Select(e => e.FileName).ToList(),
                (await files.NoticesAsync(CaseKinds.Repair, a.Id, ct: ct)).Where(n => n.RecipientKind == "subject").ToList());
        }
        return null;
    }

    private static async Task<IResult> PublicEvidence(HttpContext http, string reference, [FromQuery] string? phone, ObjectionStore objections, RepairStore repairs,
        CaseFiles files, CancellationToken ct)
    {
        (string Kind, long Id, bool Open)? found = await objections.FindForSubjectAsync(reference, phone ?? "", ct) is { } o
            ? (CaseKinds.Objection, o.Objection.Id, o.Objection.IsOpen)
            : await repairs.FindForSubjectAsync(reference, phone ?? "", ct) is { } r ? (CaseKinds.Repair, r.Application.Id, r.Application.IsOpen) : null;
        if (found is not { } f) return Problems.NotFound(http, "未找到该案件：请核对受理编号和联系电话", "No such case: check the reference and the contact phone");
        if (!f.Open) return Problems.Create(http, 409, "case_closed", "该案件已办结，不能再补充材料", "The case is closed; no more evidence can be added");
        if (!http.Request.HasFormContentType) return Problems.Create(http, 400, "multipart_required", "请以 multipart/form-data 上传文件", "Upload files as multipart/form-data");
        var form = await http.Request.ReadFormAsync(ct);
        return await DueProcessHttp.Step(http, f.Kind, f.Id, async () =>
            Results.Ok((await DueProcessHttp.AttachFormFilesAsync(form.Files, f.Kind, f.Id, files, new Actor(ActorKind.User, "public:" + reference), ct))
                .Select(e => new { e.FileName, e.Size, e.Sha256 })));
    }
}
