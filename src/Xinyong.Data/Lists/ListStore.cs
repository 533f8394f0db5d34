using System.Data.Common;
using System.Globalization;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Calendar;
using Xinyong.Core.Lists;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;

namespace Xinyong.Data.Lists;

/// <summary>Staff filter over entries in any state.</summary>
public sealed record ListEntryFilter(long? DepartmentId = null, string? Status = null, string? ListType = null, string? Kind = null, long? SubjectId = null);

public static class ListNoticeKinds
{
    public const string Designation = "designation-notice";
    public const string RedSuspended = "red-suspended";
    public const string Removal = "removal";
}

/// <summary>
/// The designation workflow on storage: each step loads the entry, lets <see cref="ListEntry"/> decide whether the move
/// is legal, and stores the new state, its history row and the audit entry in one transaction. Cross-checks between
/// red and black lists happen here because they look at other entries.
/// </summary>
public sealed class ListStore(XinyongDatabase db, ListEntries entries, ListTypeCatalogue types, WorkingDayCalendar calendar,
    DepartmentStore departments, AuditLog audit, TimeProvider clock)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    internal const string Columns =
        "id, list_type, type_version, kind, subject_id, department_id, status, legal_basis, grounds, evidence, decision_number, proposed_on, noticed_on, " +
        "objection_until, objection_closed_on, objection_note, decided_on, listed_from, listed_until, ended_on, ended_reason, source_record_id, business_key";

    /// <summary>Today in China: the date steps are stamped with.</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);

    public ListTypeCatalogue Types => types;

    /// <summary>Opens a designation. Refused without legal basis, grounds or evidence; a red proposal for a black-listed subject is refused.</summary>
    public async Task<ListEntry> ProposeAsync(ListProposal proposal, Actor actor, CancellationToken ct = default)
    {
        var today = Today;
        var type = types.Find(proposal.ListType, today) ?? throw Refuse("unknown-list-type", "listType",
            $"未知的名单类型“{proposal.ListType}”。", $"Unknown list type '{proposal.ListType}'.");
        var department = await DepartmentOf(actor, proposal.DepartmentId, ct);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await RequireSubjectAsync(conn, tx, proposal.SubjectId);
        var entry = ListEntry.Propose(proposal with { DepartmentId = department.Id }, type, department.Code, today);
        if (type.Kind == ListKind.Red) await RefuseRedWhileBlackAsync(conn, tx, entry.SubjectId, today);
        await InsertAsync(conn, tx, entry, actor);
        await EventAsync(conn, tx, entry.Id, new ListTransition("", ListStatus.Proposed, today, type.NameZh), actor, ct);
        await tx.CommitAsync(ct);
        return entry;
    }

    /// <summary>
    /// Records a listing decided by the designating department in its own procedure (court defaulters, tax, registration),
    /// published as received. Idempotent by business key (default: the decision number) per department and type: a
    /// re-sent decision returns the stored entry with Created = false.
    /// </summary>
    public async Task<(ListEntry Entry, bool Created)> RecordDecidedAsync(ListDecision decision, Actor actor, CancellationToken ct = default)
    {
        var department = await DepartmentOf(actor, decision.DepartmentId, ct);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await RecordDecidedAsync(conn, tx, decision with { DepartmentId = department.Id }, department.Code, actor, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    internal async Task<(ListEntry Entry, bool Created)> RecordDecidedAsync(DbConnection conn, DbTransaction tx, ListDecision d, string departmentCode,
        Actor actor, CancellationToken ct)
    {
        var today = Today;
        var type = types.Find(d.ListType, d.DecidedOn) ?? types.Find(d.ListType, today) ?? throw Refuse("unknown-list-type", "listType",
            $"未知的名单类型“{d.ListType}”。", $"Unknown list type '{d.ListType}'.");
        var key = string.IsNullOrWhiteSpace(d.BusinessKey) ? d.DecisionNumber?.Trim() : d.BusinessKey.Trim();
        if (!string.IsNullOrEmpty(key))
        {
            var existing = await conn.QuerySingleOrDefaultAsync<ListEntry>(
                $"SELECT {Columns} FROM list_entries WHERE department_id = @DepartmentId AND list_type = @ListType AND business_key = @key",
                new { d.DepartmentId, d.ListType, key }, tx);
            if (existing is not null) return (existing, false);
        }
        await RequireSubjectAsync(conn, tx, d.SubjectId);
        var entry = ListEntry.RecordDecided(new ListProposal(d.ListType, d.SubjectId, d.DepartmentId, d.Grounds, d.Evidence ?? d.DecisionNumber, d.LegalBasis,
            d.SourceRecordId, key), type, departmentCode, d.DecisionNumber ?? "", d.DecidedOn, d.ListedFrom ?? d.DecidedOn, d.ListedUntil, today);
        if (type.Kind == ListKind.Red) await RefuseRedWhileBlackAsync(conn, tx, entry.SubjectId, today);
        await InsertAsync(conn, tx, entry, actor);
        await EventAsync(conn, tx, entry.Id, new ListTransition("", ListStatus.Published, today, $"decided elsewhere: {entry.DecisionNumber}"), actor, ct);
        if (type.Kind == ListKind.Black && entry.IsActiveOn(today)) await SuspendRedEntriesAsync(conn, tx, entry, type, actor, today, ct);
        return (entry, true);
    }

    /// <summary>Tells the subject the grounds and its rights; the objection window (working days, from the type) starts.</summary>
    public Task<ListEntry> NoticeAsync(long id, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, async (e, type, conn, tx, today) =>
        {
            var t = e.Notice(today, type.ObjectionWorkingDays, calendar);
            var zh = $"拟将你（单位）列入“{type.NameZh}”。事实和理由：{e.Grounds}。依据：{e.LegalBasis}。" +
                     (type.ObjectionWorkingDays > 0 ? $"你（单位）可在 {e.ObjectionUntil:yyyy-MM-dd} 前（{type.ObjectionWorkingDays} 个工作日内）提出陈述、申辩或异议。" : "") +
                     $"救济途径：{type.RemediesZh}";
            var en = $"You are to be placed on '{type.NameEn}'. Grounds: {e.Grounds}. Basis: {e.LegalBasis}. " +
                     (type.ObjectionWorkingDays > 0 ? $"You may object until {e.ObjectionUntil:yyyy-MM-dd} ({type.ObjectionWorkingDays} working days). " : "") +
                     $"Remedies: {type.RemediesEn}";
            await NoticeRowAsync(conn, tx, e.Id, "subject", null, ListNoticeKinds.Designation, zh, en, null);
            return t;
        }, ct);

    /// <summary>Records the end of the objection window with the subject's statement (null = none); refused while the window is open.</summary>
    public Task<ListEntry> CloseObjectionWindowAsync(long id, string? statement, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, (e, _, _, _, today) => Task.FromResult(e.CloseObjectionWindow(today, statement)), ct);

    /// <summary>The department's decision to list; refused while the objection window is open.</summary>
    public Task<ListEntry> DecideAsync(long id, string? decisionNumber, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, (e, _, _, _, today) => Task.FromResult(e.Decide(today, decisionNumber)), ct);

    /// <summary>
    /// Publishes a decided entry. A red entry for a subject black-listed meanwhile is refused; a black entry suspends the
    /// subject's red entries in force and tells their designating departments.
    /// </summary>
    public Task<ListEntry> PublishAsync(long id, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, async (e, type, conn, tx, today) =>
        {
            if (e.Kind == ListKinds.Red) await RefuseRedWhileBlackAsync(conn, tx, e.SubjectId, today);
            var t = e.Publish(today, type);
            if (e.Kind == ListKinds.Black) await SuspendRedEntriesAsync(conn, tx, e, type, actor, today, ct);
            return t;
        }, ct);

    /// <summary>The subject leaves the list (period over, exit conditions met, repaired). Cards get a removal notice.</summary>
    public Task<ListEntry> EndAsync(long id, string reason, string? note, Actor actor, CancellationToken ct = default) =>
        EndAsync(id, reason, note, note, note, actor, ct);

    // The history keeps one note; the notice to the subject gets the note in its own language.
    private Task<ListEntry> EndAsync(long id, string reason, string? historyNote, string? noticeZh, string? noticeEn, Actor actor, CancellationToken ct) =>
        StepAsync(id, actor, EndStep(reason, historyNote, noticeZh, noticeEn), ct);

    private Step EndStep(string reason, string? historyNote, string? noticeZh, string? noticeEn) => async (e, type, conn, tx, today) =>
    {
        var t = e.End(today, reason, historyNote);
        await RemovalNoticeAsync(conn, tx, e, type, noticeZh, noticeEn);
        return t;
    };

    /// <summary>
    /// A removal notice (移出通知, e.g. 昆应急〔2020〕61号 for the work-safety cards of seed 001) ending several entries of
    /// the department at once: each ends with the reason, the notice number goes into its history and its removal notice.
    /// All entries end in one transaction: a refused one (not published, another department's, unknown) leaves all as they were.
    /// </summary>
    public async Task<IReadOnlyList<ListEntry>> EndByNoticeAsync(IReadOnlyCollection<long> ids, string? noticeNumber, string reason, Actor actor,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(noticeNumber))
            throw Refuse("notice-number-required", "noticeNumber", "请填写移出通知文号。", "State the number of the removal notice.");
        if (ids.Count == 0) throw Refuse("entries-required", "ids", "请选择要移出的条目。", "Choose the entries to remove.");
        var number = noticeNumber.Trim();
        var end = EndStep(reason, $"移出通知 {number} / removal notice {number}", $"移出通知 {number}", $"Removal notice {number}.");
        // The entry is named in the refusal, so the clerk sees which of the selected ones it is (after the department check).
        Step endListed = (e, type, c, t, day) => e.Status is ListStatus.Published or ListStatus.Suspended
            ? end(e, type, c, t, day)
            : throw Refuse("illegal-transition", "status", $"条目 {e.Id} 当前状态为“{ListStatus.ToChinese(e.Status)}”，不能移出。", $"Entry {e.Id} is {e.Status}; it cannot be ended.");
        var today = Today;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ended = new List<ListEntry>();
        foreach (var id in ids) ended.Add(await StepInAsync(conn, tx, id, actor, endListed, today, ct));
        await tx.CommitAsync(ct);
        return ended;
    }

    /// <summary>Takes an entry off the list by decision; the reason is required.</summary>
    public Task<ListEntry> RemoveAsync(long id, string? reason, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, async (e, type, conn, tx, today) =>
        {
            var t = e.Remove(today, reason);
            await RemovalNoticeAsync(conn, tx, e, type);
            return t;
        }, ct);

    /// <summary>The department decides not to list.</summary>
    public Task<ListEntry> DropAsync(long id, string? reason, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, (e, _, _, _, today) => Task.FromResult(e.Drop(today, reason)), ct);

    /// <summary>
    /// Ends every entry (published or suspended) whose finding rests on <paramref name="recordId"/>, e.g. with
    /// reason 'repaired' after credit repair of that record. Returns the ended entries.
    /// </summary>
    public async Task<IReadOnlyList<ListEntry>> EndBySourceRecordAsync(long recordId, string reason, Actor actor, CancellationToken ct = default)
    {
        List<long> ids;
        await using (var conn = await db.OpenAsync(ct))
        {
            ids = (await conn.QueryAsync<long>(
                "SELECT id FROM list_entries WHERE source_record_id = @recordId AND status IN ('published', 'suspended') ORDER BY id", new { recordId })).ToList();
        }
        var ended = new List<ListEntry>();
        foreach (var id in ids) ended.Add(await EndAsync(id, reason, $"record {recordId}", actor, ct));
        return ended;
    }

    /// <summary>
    /// Marks published entries whose period ran out before or on <paramref name="today"/> as ended (they are already
    /// inactive by the predicate; this closes them in the workflow and sends the cards' removal notices).
    /// </summary>
    public async Task<int> CloseExpiredAsync(Actor actor, CancellationToken ct = default)
    {
        var today = Today;
        List<long> ids;
        await using (var conn = await db.OpenAsync(ct))
        {
            ids = (await conn.QueryAsync<long>("SELECT id FROM list_entries WHERE status = 'published' AND listed_until <= @today ORDER BY id", new { today })).ToList();
        }
        foreach (var id in ids)
        {
            await StepAsync(id, actor, async (e, type, conn, tx, _) =>
            {
                var t = e.End(e.ListedUntil!.Value, ListEndReasons.PeriodEnd, "period over");
                await RemovalNoticeAsync(conn, tx, e, type);
                return t;
            }, ct, checkDepartment: false);
        }
        return ids.Count;
    }

    public async Task<ListEntry?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await LoadAsync(conn, null, id, forUpdate: false);
    }

    public async Task<IReadOnlyList<StatusEvent>> HistoryAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<StatusEvent>(
            "SELECT id, from_status, to_status, on_date, note, actor, at FROM list_entry_events WHERE entry_id = @id ORDER BY id", new { id })).ToList();
    }

    /// <summary>Notices about one entry, or sent to one department (newest first).</summary>
    public async Task<IReadOnlyList<ListNotice>> NoticesAsync(long? entryId = null, long? departmentId = null, int limit = 100, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<ListNotice>(
            """
            SELECT id, entry_id, recipient_kind, department_id, kind, text_zh, text_en, caused_by_entry, created_at FROM list_notices
            WHERE (@entryId IS NULL OR entry_id = @entryId) AND (@departmentId IS NULL OR department_id = @departmentId) ORDER BY id DESC LIMIT @limit
            """, new { entryId, departmentId, limit })).ToList();
    }

    /// <summary>
    /// Notices of one kind about entries of the given list types (newest first), e.g. the removal notices of the
    /// work-safety cards, with the entry's subject; one department's or (null) all.
    /// </summary>
    public async Task<IReadOnlyList<(ListNotice Notice, long SubjectId, string ListType)>> NoticesOfTypesAsync(string kind, IReadOnlyCollection<string> listTypes,
        long? departmentId, int limit = 50, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        // The notice's columns map onto ListNotice, the entry's (from subject_id on) onto NoticeEntry.
        var rows = await conn.QueryAsync<ListNotice, NoticeEntry, (ListNotice, long, string)>(
            $"""
            SELECT n.id, n.entry_id, n.recipient_kind, n.department_id, n.kind, n.text_zh, n.text_en, n.caused_by_entry, n.created_at, e.subject_id, e.list_type
            FROM list_notices n JOIN list_entries e ON e.id = n.entry_id
            WHERE n.kind = @kind AND e.list_type {db.InList("types")} AND (@departmentId IS NULL OR e.department_id = @departmentId)
            ORDER BY n.id DESC LIMIT @limit
            """, (n, e) => (n, e.SubjectId, e.ListType), new { kind, types = db.ListParam(listTypes), departmentId, limit }, splitOn: "subject_id");
        return rows.ToList();
    }

    private sealed record NoticeEntry
    {
        public long SubjectId { get; init; }
        public string ListType { get; init; } = default!;
    }

    /// <summary>One page (from 1) of entries in any state for staff, newest first.</summary>
    public async Task<(IReadOnlyList<ListEntry> Items, int Total)> ListAsync(ListEntryFilter filter, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 500);
        await using var conn = await db.OpenAsync(ct);
        const string where = """
            (@dept IS NULL OR department_id = @dept) AND (@status IS NULL OR status = @status) AND (@listType IS NULL OR list_type = @listType)
            AND (@kind IS NULL OR kind = @kind) AND (@subject IS NULL OR subject_id = @subject)
            """;
        var args = new { dept = filter.DepartmentId, status = filter.Status, listType = filter.ListType, kind = filter.Kind, subject = filter.SubjectId,
            take = pageSize, skip = (page - 1) * pageSize };
        var total = await conn.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM list_entries WHERE {where}", args);
        var items = await conn.QueryAsync<ListEntry>($"SELECT {Columns} FROM list_entries WHERE {where} ORDER BY id DESC LIMIT @take OFFSET @skip", args);
        return (items.ToList(), total);
    }

    /// <summary>Names (and credit codes) of subjects, for staff lists of entries.</summary>
    public async Task<IReadOnlyDictionary<long, (string Name, string? Uscc, string Kind)>> SubjectNamesAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return new Dictionary<long, (string, string?, string)>();
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<(long Id, string Name, string? Uscc, string Kind)>(
            $"SELECT id, name, uscc, kind FROM subjects WHERE id {db.InList("ids")}", new { ids = db.ListParam(ids.Distinct()) });
        return rows.ToDictionary(r => r.Id, r => (r.Name, r.Uscc, r.Kind));
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private delegate Task<ListTransition> Step(ListEntry entry, ListType type, DbConnection conn, DbTransaction tx, DateOnly today);

    private async Task<ListEntry> StepAsync(long id, Actor actor, Step step, CancellationToken ct, bool checkDepartment = true)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var entry = await StepInAsync(conn, tx, id, actor, step, Today, ct, checkDepartment);
        await tx.CommitAsync(ct);
        return entry;
    }

    /// <summary>One step of one entry inside the caller's transaction: load (locked), check, transition, store, event and audit.</summary>
    private async Task<ListEntry> StepInAsync(DbConnection conn, DbTransaction tx, long id, Actor actor, Step step, DateOnly today, CancellationToken ct,
        bool checkDepartment = true)
    {
        var entry = await LoadAsync(conn, tx, id, forUpdate: true)
                    ?? throw new ListEntryNotFoundException(id);
        if (checkDepartment && actor.DepartmentId is { } mine && mine != entry.DepartmentId)
        {
            throw Refuse("not-your-department", "departmentId", "只有认定部门可以办理该名单条目。", "Only the designating department may act on this entry.");
        }
        var type = types.Find(entry.ListType, entry.TypeVersion) ?? types.Latest(entry.ListType)
                   ?? throw new InvalidOperationException($"List type {entry.ListType} is no longer configured.");
        var transition = await step(entry, type, conn, tx, today);
        await conn.ExecuteAsync(
            """
            UPDATE list_entries SET status = @Status, decision_number = @DecisionNumber, noticed_on = @NoticedOn, objection_until = @ObjectionUntil,
              objection_closed_on = @ObjectionClosedOn, objection_note = @ObjectionNote, decided_on = @DecidedOn, listed_from = @ListedFrom, listed_until = @ListedUntil, ended_on = @EndedOn, ended_reason = @EndedReason,
              updated_at = @now WHERE id = @Id
            """,
            new { entry.Status, entry.DecisionNumber, entry.NoticedOn, entry.ObjectionUntil, entry.ObjectionClosedOn, entry.ObjectionNote, entry.DecidedOn, entry.ListedFrom, entry.ListedUntil,
                entry.EndedOn, entry.EndedReason, entry.Id, now = clock.GetUtcNow().UtcDateTime }, tx);
        await EventAsync(conn, tx, entry.Id, transition, actor, ct);
        return entry;
    }

    internal async Task<ListEntry?> LoadAsync(DbConnection conn, DbTransaction? tx, long id, bool forUpdate) =>
        await conn.QuerySingleOrDefaultAsync<ListEntry>(
            $"SELECT {Columns} FROM list_entries WHERE id = @id{(forUpdate && !db.IsSqlite ? " FOR UPDATE" : "")}", new { id }, tx);

    internal async Task InsertAsync(DbConnection conn, DbTransaction tx, ListEntry e, Actor actor)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO list_entries (list_type, type_version, kind, subject_id, department_id, status, legal_basis, grounds, evidence, decision_number,
              proposed_on, noticed_on, objection_until, decided_on, listed_from, listed_until, ended_on, ended_reason, source_record_id, business_key,
              created_by, created_at, updated_at)
            VALUES (@ListType, @TypeVersion, @Kind, @SubjectId, @DepartmentId, @Status, @LegalBasis, @Grounds, @Evidence, @DecisionNumber,
              @ProposedOn, @NoticedOn, @ObjectionUntil, @DecidedOn, @ListedFrom, @ListedUntil, @EndedOn, @EndedReason, @SourceRecordId, @BusinessKey,
              @by, @now, @now)
            RETURNING id
            """,
            new { e.ListType, e.TypeVersion, e.Kind, e.SubjectId, e.DepartmentId, e.Status, e.LegalBasis, e.Grounds, e.Evidence, e.DecisionNumber,
                e.ProposedOn, e.NoticedOn, e.ObjectionUntil, e.DecidedOn, e.ListedFrom, e.ListedUntil, e.EndedOn, e.EndedReason, e.SourceRecordId,
                e.BusinessKey, by = actor.ToString(), now }, tx);
        e.AssignId(id);
    }

    internal async Task EventAsync(DbConnection conn, DbTransaction tx, long entryId, ListTransition t, Actor actor, CancellationToken ct)
    {
        await conn.ExecuteAsync(
            "INSERT INTO list_entry_events (entry_id, from_status, to_status, on_date, note, actor, at) VALUES (@entryId, @From, @To, @On, @Note, @actor, @at)",
            new { entryId, t.From, t.To, t.On, t.Note, actor = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, t.Action, "list_entry", entryId.ToString(CultureInfo.InvariantCulture),
            new { from = t.From, to = t.To, on = t.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), note = t.Note }, conn, tx, ct);
    }

    private async Task NoticeRowAsync(DbConnection conn, DbTransaction tx, long entryId, string recipientKind, long? departmentId, string kind,
        string zh, string en, long? causedBy) =>
        await conn.ExecuteAsync(
            """
            INSERT INTO list_notices (entry_id, recipient_kind, department_id, kind, text_zh, text_en, caused_by_entry, created_at)
            VALUES (@entryId, @recipientKind, @departmentId, @kind, @zh, @en, @causedBy, @now)
            """,
            new { entryId, recipientKind, departmentId, kind, zh, en, causedBy, now = clock.GetUtcNow().UtcDateTime }, tx);

    private async Task RemovalNoticeAsync(DbConnection conn, DbTransaction tx, ListEntry e, ListType type, string? noteZh = null, string? noteEn = null)
    {
        var zh = $"自 {e.EndedOn:yyyy-MM-dd} 起移出“{type.NameZh}”（{ReasonZh(e.EndedReason)}）。" + (string.IsNullOrWhiteSpace(noteZh) ? "" : noteZh.Trim());
        var en = $"Removed from '{type.NameEn}' as of {e.EndedOn:yyyy-MM-dd} ({e.EndedReason})." + (string.IsNullOrWhiteSpace(noteEn) ? "" : " " + noteEn.Trim());
        await NoticeRowAsync(conn, tx, e.Id, "subject", null, ListNoticeKinds.Removal, zh, en, null);
    }

    private static string ReasonZh(string? reason) => reason switch
    {
        ListEndReasons.PeriodEnd => "管理期限届满",
        ListEndReasons.ExitConditions => "符合移出条件",
        ListEndReasons.Repaired => "信用修复",
        ListEndReasons.Decision => "经决定撤销",
        _ => reason ?? "",
    };

    private async Task SuspendRedEntriesAsync(DbConnection conn, DbTransaction tx, ListEntry black, ListType blackType, Actor actor, DateOnly today, CancellationToken ct)
    {
        var reds = (await entries.ActiveEntriesAsync(conn, tx, [black.SubjectId], today)).Where(a => a.Kind == ListKinds.Red).ToList();
        foreach (var red in reds)
        {
            var entry = (await LoadAsync(conn, tx, red.Id, forUpdate: true))!;
            var redType = types.Find(entry.ListType, entry.TypeVersion) ?? types.Latest(entry.ListType)!;
            var t = entry.Suspend(today, "black-listed");
            await conn.ExecuteAsync("UPDATE list_entries SET status = @Status, ended_on = @EndedOn, ended_reason = @EndedReason, updated_at = @now WHERE id = @Id",
                new { entry.Status, entry.EndedOn, entry.EndedReason, entry.Id, now = clock.GetUtcNow().UtcDateTime }, tx);
            await EventAsync(conn, tx, entry.Id, t with { Note = $"black entry {black.Id} ({blackType.Id})" }, actor, ct);
            await NoticeRowAsync(conn, tx, entry.Id, "department", entry.DepartmentId, ListNoticeKinds.RedSuspended,
                $"该主体已于 {today:yyyy-MM-dd} 被列入“{blackType.NameZh}”，其“{redType.NameZh}”条目（第 {entry.Id} 号）已中止。黑名单主体不得同时列入红名单。",
                $"The subject was placed on '{blackType.NameEn}' on {today:yyyy-MM-dd}; its '{redType.NameEn}' entry (No. {entry.Id}) is suspended. A black-listed subject cannot be on a red list.",
                black.Id);
        }
    }

    private async Task RefuseRedWhileBlackAsync(DbConnection conn, DbTransaction tx, long subjectId, DateOnly today)
    {
        var black = (await entries.ActiveEntriesAsync(conn, tx, [subjectId], today)).FirstOrDefault(a => a.Kind == ListKinds.Black);
        if (black is null) return;
        var t = types.Latest(black.ListType);
        throw Refuse("black-listed", "subjectId",
            $"该主体在“{t?.NameZh ?? black.ListType}”中（第 {black.Id} 号，自 {black.ListedFrom:yyyy-MM-dd} 起），黑名单主体不得列入红名单。",
            $"The subject is on '{t?.NameEn ?? black.ListType}' (entry {black.Id}, since {black.ListedFrom:yyyy-MM-dd}); a black-listed subject cannot be put on a red list.");
    }

    private static async Task RequireSubjectAsync(DbConnection conn, DbTransaction tx, long subjectId)
    {
        if (await conn.ExecuteScalarAsync<long?>("SELECT id FROM subjects WHERE id = @subjectId", new { subjectId }, tx) is null)
            throw Refuse("unknown-subject", "subjectId", $"主体 {subjectId} 不存在。", $"Subject {subjectId} does not exist.");
    }

    /// <summary>The designating department: the actor's own, or for the credit office / system the one named.</summary>
    internal async Task<Department> DepartmentOf(Actor actor, long requested, CancellationToken ct)
    {
        var id = actor.DepartmentId ?? requested;
        if (actor.DepartmentId is { } mine && requested != 0 && requested != mine)
            throw Refuse("not-your-department", "departmentId", "只能以本部门名义提出。", "You can only act for your own department.");
        return await departments.GetAsync(id, ct)
               ?? throw Refuse("unknown-department", "departmentId", "请选择认定部门。", "Choose the designating department.");
    }

    internal static ListRefusedException Refuse(string code, string field, string zh, string en) => new(new ListRefusal(code, field, zh, en));
}

public sealed class ListEntryNotFoundException(long id) : Exception($"List entry {id} does not exist.")
{
    public long Id { get; } = id;
}
