using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Lists;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;
using Xinyong.Data.Auditing;

namespace Xinyong.Web.Api;

/// <summary>
/// Lists (红名单 / 黑名单 / 重点关注名单): the types in force, and the designation workflow for departments and their
/// systems: propose, notice, objection window, decision, publication, exit or removal. Every refusal comes from the
/// domain (ListEntry / ListStore) as RFC 9457 problem details with the reason in Chinese and English.
/// </summary>
internal static class ListsApi
{
    public sealed record ListTypeDto(
        string Id, string Kind, string NameZh, string NameEn, IReadOnlyList<string> Departments, string LegalBasisZh, string LegalBasisEn,
        string CriteriaZh, string CriteriaEn, int? PeriodMonths, string ExitZh, string ExitEn, string RemediesZh, string RemediesEn,
        int ObjectionWorkingDays, bool DesignatedElsewhere, DateOnly EffectiveFrom);

    public sealed record ProposeRequest(
        string? ListType, long? SubjectId, string? SubjectCode, string? Department, string? Grounds, string? Evidence, string? LegalBasis,
        long? SourceRecordId);

    public sealed record DecisionRequest(
        string? ListType, long? SubjectId, string? SubjectCode, string? Department, string? Grounds, string? Evidence, string? LegalBasis,
        string? DecisionNumber, DateOnly? DecidedOn, DateOnly? ListedFrom, DateOnly? ListedUntil, string? BusinessKey);

    public sealed record StatementRequest(string? Statement);

    public sealed record DecideRequest(string? DecisionNumber);

    public sealed record ReasonRequest(string? Reason, string? Note);

    public sealed record EntryDto(
        long Id, string ListType, string ListTypeName, string Kind, long SubjectId, long DepartmentId, string Status, string StatusZh,
        string LegalBasis, string Grounds, string Evidence, string? DecisionNumber, DateOnly ProposedOn, DateOnly? NoticedOn,
        DateOnly? ObjectionUntil, DateOnly? ObjectionClosedOn, string? ObjectionNote, DateOnly? DecidedOn, DateOnly? ListedFrom,
        DateOnly? ListedUntil, DateOnly? EndedOn, string? EndedReason, string? BusinessKey, long? SourceRecordId, string ExitZh, string RemediesZh);

    public sealed record EntryDetailDto(EntryDto Entry, IReadOnlyList<StatusEvent> History, IReadOnlyList<ListNotice> Notices);

    public sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

    public static void MapListsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/lists").WithTags("lists").RequireAuthorization();
        g.MapGet("/types", Types).AllowAnonymous().WithSummary("List types in force: designating departments, legal basis, criteria, period, exit, remedies");
        g.MapGet("/types/{type}/active", ActiveByType).WithSummary("Entries of one type in force today (or ?on=yyyy-MM-dd)").ProducesProblem(404);
        g.MapPost("/entries", Propose).WithSummary("Propose a designation (grounds, evidence, legal basis)")
            .Produces<EntryDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409);
        g.MapPost("/decisions", RecordDecided).WithSummary("Record a listing decided in the department's own procedure (court, tax, registration); idempotent by business key")
            .Produces<EntryDto>(StatusCodes.Status201Created).Produces<EntryDto>(StatusCodes.Status200OK).ProducesProblem(400).ProducesProblem(403);
        g.MapGet("/entries", Search).WithSummary("Entries in any state (own department unless administrator)");
        g.MapGet("/entries/{id:long}", Get).WithSummary("An entry with its history and notices").ProducesProblem(404);
        g.MapPost("/entries/{id:long}/notice", Notice).WithSummary("Send the subject the grounds and its rights; the objection window starts");
        g.MapPost("/entries/{id:long}/objection-window/close", CloseWindow).WithSummary("Record the end of the objection window and what the subject said");
        g.MapPost("/entries/{id:long}/decide", Decide).WithSummary("Decide to list (refused while the objection window is open)");
        g.MapPost("/entries/{id:long}/publish", Publish).WithSummary("Publish: the listing runs for the type's period");
        g.MapPost("/entries/{id:long}/exit", Exit).WithSummary("The subject leaves the list (period-end, exit-conditions, repaired)");
        g.MapPost("/entries/{id:long}/remove", Remove).WithSummary("Take the entry off the list by decision (reason required)");
        g.MapPost("/entries/{id:long}/drop", Drop).WithSummary("Decide not to list (reason required)");
        g.MapGet("/subjects/{subject}/entries", OfSubject).WithSummary("Entries of a subject (id or code); ?active=true for those in force only");
    }

    private static IResult Types(ListTypeCatalogue types, ListStore store, [FromQuery] string? kind) =>
        Results.Ok(types.InForce(store.Today).Where(t => kind is null || t.Kind.ToCode() == kind).Select(ToDto));

    private static async Task<IResult> ActiveByType(HttpContext http, string type, [FromQuery] DateOnly? on, [FromQuery] int? page, [FromQuery] int? pageSize,
        ListTypeCatalogue types, ListEntries entries, ListStore store, CancellationToken ct)
    {
        if (types.Latest(type) is null) return Problems.NotFound(http, $"未知的名单类型“{type}”", $"Unknown list type '{type}'");
        var p = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var (items, total) = await entries.ActiveByTypeAsync(type, on ?? store.Today, p, size, ct);
        return Results.Ok(new PageDto<PublicListEntry>(items, total, p, size));
    }

    private static Task<IResult> Propose(HttpContext http, ProposeRequest body, ListStore store, SubjectStore subjects, DepartmentStore departments,
        CancellationToken ct) => Run(http, store, async () =>
    {
        var subject = await SubjectIdAsync(body.SubjectId, body.SubjectCode, subjects, ct);
        var department = await DepartmentIdAsync(http.User, body.Department, departments, ct);
        var e = await store.ProposeAsync(new ListProposal(body.ListType ?? "", subject, department, body.Grounds, body.Evidence, body.LegalBasis,
            body.SourceRecordId), http.User.ToActor(), ct);
        return Results.Created($"/api/v1/lists/entries/{e.Id}", ToDto(e, store.Types));
    });

    private static Task<IResult> RecordDecided(HttpContext http, DecisionRequest body, ListStore store, SubjectStore subjects, DepartmentStore departments,
        CancellationToken ct) => Run(http, store, async () =>
    {
        var subject = await SubjectIdAsync(body.SubjectId, body.SubjectCode, subjects, ct);
        var department = await DepartmentIdAsync(http.User, body.Department, departments, ct);
        var (e, created) = await store.RecordDecidedAsync(new ListDecision(body.ListType ?? "", subject, department, body.Grounds, body.Evidence,
            body.LegalBasis, body.DecisionNumber, body.DecidedOn ?? store.Today, body.ListedFrom, body.ListedUntil, BusinessKey: body.BusinessKey),
            http.User.ToActor(), ct);
        return created ? Results.Created($"/api/v1/lists/entries/{e.Id}", ToDto(e, store.Types)) : Results.Ok(ToDto(e, store.Types));
    });

    private static async Task<IResult> Search(HttpContext http, [FromQuery] string? status, [FromQuery] string? type, [FromQuery] string? kind,
        [FromQuery] long? subject, [FromQuery] int? page, [FromQuery] int? pageSize, ListStore store, CancellationToken ct)
    {
        var user = http.User;
        var p = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, 500);
        var (items, total) = await store.ListAsync(new ListEntryFilter(user.IsAdmin() ? null : user.DepartmentId() ?? -1, status, type, kind, subject), p, size, ct);
        return Results.Ok(new PageDto<EntryDto>(items.Select(e => ToDto(e, store.Types)).ToList(), total, p, size));
    }

    private static async Task<IResult> Get(HttpContext http, long id, ListStore store, CancellationToken ct)
    {
        var e = await store.GetAsync(id, ct);
        if (e is null) return NotFound(http, id);
        return Results.Ok(new EntryDetailDto(ToDto(e, store.Types), await store.HistoryAsync(id, ct), await store.NoticesAsync(id, ct: ct)));
    }

    private static Task<IResult> Notice(HttpContext http, long id, ListStore store, CancellationToken ct) =>
        Step(http, store, () => store.NoticeAsync(id, http.User.ToActor(), ct));

    private static Task<IResult> CloseWindow(HttpContext http, long id, StatementRequest? body, ListStore store, CancellationToken ct) =>
        Step(http, store, () => store.CloseObjectionWindowAsync(id, body?.Statement, http.User.ToActor(), ct));

    private static Task<IResult> Decide(HttpContext http, long id, DecideRequest body, ListStore store, CancellationToken ct) =>
        Step(http, store, () => store.DecideAsync(id, body.DecisionNumber, http.User.ToActor(), ct));

    private static Task<IResult> Publish(HttpContext http, long id, ListStore store, CancellationToken ct) =>
        Step(http, store, () => store.PublishAsync(id, http.User.ToActor(), ct));

    private static Task<IResult> Exit(HttpContext http, long id, ReasonRequest body, ListStore store, CancellationToken ct) =>
        Step(http, store, () => store.EndAsync(id, body.Reason ?? "", body.Note, http.User.ToActor(), ct));

    private static Task<IResult> Remove(HttpContext http, long id, ReasonRequest body, ListStore store, CancellationToken ct) =>
        Step(http, store, () => store.RemoveAsync(id, body.Reason, http.User.ToActor(), ct));

    private static Task<IResult> Drop(HttpContext http, long id, ReasonRequest body, ListStore store, CancellationToken ct) =>
        Step(http, store, () => store.DropAsync(id, body.Reason, http.User.ToActor(), ct));

    private static async Task<IResult> OfSubject(HttpContext http, string subject, [FromQuery] bool? active, ListStore store, SubjectStore subjects,
        ListEntries entries, CancellationToken ct)
    {
        long id;
        if (long.TryParse(subject, out var n) && subject.Length < 15) id = n;
        else if (await subjects.FindByCodeAsync(subject, ct) is { } s) id = s.Id;
        else return Problems.NotFound(http, $"没有代码为“{subject}”的主体", $"No subject has the code '{subject}'");
        if (active == true)
        {
            return Results.Ok(await entries.ActiveEntriesAsync([id], store.Today, ct));
        }
        var (items, _) = await store.ListAsync(new ListEntryFilter(SubjectId: id), 1, 500, ct);
        return Results.Ok(items.Select(e => ToDto(e, store.Types)));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Task<IResult> Step(HttpContext http, ListStore store, Func<Task<ListEntry>> step) =>
        Run(http, store, async () => Results.Ok(ToDto(await step(), store.Types)));

    /// <summary>Runs a workflow call and turns the domain's refusals into problem details.</summary>
    private static async Task<IResult> Run(HttpContext http, ListStore store, Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (ListRefusedException ex)
        {
            var r = ex.Refusal;
            return Problems.Create(http, StatusOf(r.Code), r.Code, r.Zh, r.En, new[] { new { field = r.Field, code = r.Code, zh = r.Zh, en = r.En } });
        }
        catch (ListEntryNotFoundException ex)
        {
            return NotFound(http, ex.Id);
        }
    }

    /// <summary>Wrong department: 403; a step the state or a deadline does not allow, or red while black: 409; otherwise the request is incomplete: 400.</summary>
    internal static int StatusOf(string code) => code switch
    {
        "department-not-designating" or "not-your-department" => StatusCodes.Status403Forbidden,
        "illegal-transition" or "objection-window-open" or "objection-window-closed" or "black-listed" or "procedure-required" =>
            StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static ListRefusedException Refuse(string code, string field, string zh, string en) => new(new ListRefusal(code, field, zh, en));

    private static IResult NotFound(HttpContext http, long id) => Problems.NotFound(http, $"名单条目 {id} 不存在", $"List entry {id} does not exist");

    private static async Task<long> SubjectIdAsync(long? id, string? code, SubjectStore subjects, CancellationToken ct)
    {
        if (id is > 0) return id.Value;
        if (!string.IsNullOrWhiteSpace(code))
        {
            return (await subjects.FindByCodeAsync(code, ct))?.Id ?? throw Refuse("unknown-subject", "subjectCode",
                $"没有代码为“{code}”的主体。", $"No subject has the code '{code}'.");
        }
        throw Refuse("subject-required", "subjectId", "请指定主体（subjectId 或 subjectCode）。", "Name the subject (subjectId or subjectCode).");
    }

    /// <summary>The department named in the request (code or name), or 0 to take the caller's own.</summary>
    private static async Task<long> DepartmentIdAsync(ClaimsPrincipal user, string? department, DepartmentStore departments, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(department)) return 0;
        var d = await departments.FindAsync(department, ct) ?? throw Refuse("unknown-department", "department",
            $"未知的部门“{department}”。", $"Unknown department '{department}'.");
        if (!user.CanAccessDepartment(d.Id))
            throw Refuse("not-your-department", "department", "只能以本部门名义办理。", "You can only act for your own department.");
        return d.Id;
    }

    internal static ListTypeDto ToDto(ListType t) => new(t.Id, t.Kind.ToCode(), t.NameZh, t.NameEn, t.Departments, t.LegalBasisZh, t.LegalBasisEn,
        t.CriteriaZh, t.CriteriaEn, t.PeriodMonths, t.ExitZh, t.ExitEn, t.RemediesZh, t.RemediesEn, t.ObjectionWorkingDays, t.DesignatedElsewhere,
        t.EffectiveFrom);

    internal static EntryDto ToDto(ListEntry e, ListTypeCatalogue types)
    {
        var t = types.Find(e.ListType, e.TypeVersion) ?? types.Latest(e.ListType);
        return new EntryDto(e.Id, e.ListType, t?.NameZh ?? e.ListType, e.Kind, e.SubjectId, e.DepartmentId, e.Status, ListStatus.ToChinese(e.Status),
            e.LegalBasis, e.Grounds, e.Evidence, e.DecisionNumber, e.ProposedOn, e.NoticedOn, e.ObjectionUntil, e.ObjectionClosedOn, e.ObjectionNote,
            e.DecidedOn, e.ListedFrom, e.ListedUntil, e.EndedOn, e.EndedReason, e.BusinessKey, e.SourceRecordId, t?.ExitZh ?? "", t?.RemediesZh ?? "");
    }
}
