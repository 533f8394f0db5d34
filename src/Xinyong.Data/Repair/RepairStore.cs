using System.Data.Common;
using System.Globalization;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Publication;
using Xinyong.Core.Repair;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Lists;

namespace Xinyong.Data.Repair;

/// <summary>A repair application as stored, with its public reference and the commitment text the subject gave.</summary>
public sealed record StoredRepair(RepairApplication Application, string Reference, string CommitmentText);

/// <summary>What the subject page needs to offer repair: whether it is possible now, and if not, from when.</summary>
public sealed record RepairOutlook(long RecordId, DateOnly? EarliestDate, bool OpenNow, string? OpenReference, DateOnly? ReapplyFrom, string? EndedReason);

/// <summary>
/// Credit repair on storage. Submission reads the publication engine's dates for the record (repair_from, grade, early
/// end); approval ends the record's publication and sharing (publications.ended_reason = 'repaired'), ends the list
/// entries whose finding rests on it, and tells the departments that received it. The record itself and its history stay.
/// </summary>
public sealed class RepairStore(XinyongDatabase db, DueProcessRules rules, WorkingDayCalendar calendar, CaseFiles files, ListStore lists,
    AuditLog audit, TimeProvider clock)
{
    public const string Repaired = "repaired";

    private const string Columns =
        "id, reference, subject_id, record_id, department_id, channel, contact_name, contact_phone, obligations_performed, obligations_note, " +
        "commitment_made, commitment_text, submitted_by, rule_set, earliest_repair_date, submitted_on, submitted_at, accept_by, decide_by, status, " +
        "accepted_at, accepted_by, decided_at, decided_by, reasons, reapply_from, escalated_on";

    public DateOnly Today => DueProcessClock.Today(clock);

    /// <summary>What the rules say about repairing <paramref name="recordId"/> today (null when the record has no publication row).</summary>
    public async Task<RepairOutlook?> OutlookAsync(long recordId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var e = await EligibilityAsync(conn, null, recordId);
        if (e is null) return null;
        var open = await conn.ExecuteScalarAsync<string?>(
            "SELECT reference FROM repair_applications WHERE record_id = @recordId AND status IN ('submitted', 'accepted')", new { recordId });
        return new RepairOutlook(recordId, RepairApplication.EarliestDate(e.Eligibility, rules, Today), open is not null, open,
            e.Eligibility.ReapplyFrom, e.Eligibility.EndedReason);
    }

    /// <summary>
    /// Submits an application for a record of the subject. The deciding department is the one that made the finding
    /// (the record's department), whatever the request says. Refused before the minimum period, after an early end,
    /// while another application is open, before the re-application date, and without obligations or commitment.
    /// </summary>
    public async Task<StoredRepair> SubmitAsync(RepairRequest request, string commitmentText, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = Today;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var found = await EligibilityAsync(conn, tx, request.RecordId)
                    ?? throw new RefusedException("record_unknown", "未找到该信用记录", "The record does not exist", RefusalKind.Invalid);
        if (found.SubjectId != request.SubjectId)
            throw new RefusedException("record_not_yours", "该记录不属于该主体", "The record does not belong to this subject", RefusalKind.Forbidden);
        var text = (commitmentText ?? "").Trim();
        if (request.CommitmentMade && text.Length == 0)
            throw new RefusedException("commitment_text_required", "请填写信用承诺内容", "Give the text of the credit commitment", RefusalKind.Invalid);
        if (text.Length > 4000)
            throw new RefusedException("commitment_too_long", "信用承诺不能超过 4000 字", "The commitment must not exceed 4,000 characters", RefusalKind.Invalid);
        var app = RepairApplication.Submit(request with { DepartmentId = found.DepartmentId }, found.Eligibility, rules, calendar, now, today);
        var reference = CaseFiles.NewReference("XF", today);
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO repair_applications (reference, subject_id, record_id, department_id, channel, contact_name, contact_phone, obligations_performed,
              obligations_note, commitment_made, commitment_text, submitted_by, rule_set, earliest_repair_date, submitted_on, submitted_at, accept_by,
              decide_by, status, updated_at)
            VALUES (@reference, @SubjectId, @RecordId, @DepartmentId, @Channel, @ContactName, @ContactPhone, @ObligationsPerformed, @ObligationsNote,
              @CommitmentMade, @text, @SubmittedBy, @RuleSetId, @EarliestRepairDate, @SubmittedOn, @SubmittedAt, @AcceptBy, @DecideBy, 'submitted', @now)
            RETURNING id
            """,
            new { reference, app.SubjectId, app.RecordId, app.DepartmentId, app.Channel, app.ContactName, app.ContactPhone, app.ObligationsPerformed,
                app.ObligationsNote, app.CommitmentMade, text, app.SubmittedBy, app.RuleSetId, app.EarliestRepairDate, app.SubmittedOn, app.SubmittedAt,
                app.AcceptBy, app.DecideBy, now }, tx);
        app.AssignId(id);
        await StepAsync(conn, tx, id, "", "submitted", $"{app.Channel}; record {app.RecordId}; rule set {app.RuleSetId}", actor, ct);
        await tx.CommitAsync(ct);
        return new StoredRepair(app, reference, text);
    }

    public async Task<StoredRepair?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await LoadAsync(conn, null, id, forUpdate: false);
    }

    /// <summary>The case for a public status look-up: reference and contact phone must both match.</summary>
    public async Task<StoredRepair?> FindForSubjectAsync(string reference, string contactPhone, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM repair_applications WHERE reference = @reference",
            new { reference = reference.Trim().ToUpperInvariant() });
        var phone = Digits(contactPhone);
        return row is not null && phone.Length > 0 && Digits(row.ContactPhone) == phone ? row.ToStored() : null;
    }

    public Task<StoredRepair> AcceptAsync(long id, Handler handler, Actor actor, CancellationToken ct = default) =>
        TransitionAsync(id, actor, (a, _, _) =>
        {
            a.Accept(handler, clock.GetUtcNow().UtcDateTime);
            return Task.FromResult<string?>(null);
        }, ct);

    /// <summary>
    /// Grants repair: the record's publication ends today with reason 'repaired' (every public surface and the exchange
    /// read that), the subject and every department that received the record are told, then the list entries whose
    /// finding rests on the record end with reason 'repaired'.
    /// </summary>
    public async Task<StoredRepair> ApproveAsync(long id, Handler handler, Actor actor, CancellationToken ct = default)
    {
        var today = Today;
        var stored = await TransitionAsync(id, actor, async (a, conn, tx) =>
        {
            a.Approve(handler, clock.GetUtcNow().UtcDateTime);
            await conn.ExecuteAsync(
                "UPDATE publications SET ended_on = @today, ended_reason = @reason WHERE record_id = @RecordId AND ended_on IS NULL",
                new { today, reason = Repaired, a.RecordId }, tx);
            var number = await conn.ExecuteScalarAsync<string>("SELECT decision_number FROM records WHERE id = @RecordId", new { a.RecordId }, tx);
            await files.NoticeAsync(conn, tx, CaseKinds.Repair, a.Id, "subject", null, "repaired",
                $"你（单位）关于 {number} 的信用修复申请已获准，该信息自 {Iso(today)} 起停止公示和共享。",
                $"Your repair application for {number} has been approved; the record is no longer published or shared from {Iso(today)}.");
            var receivers = (await conn.QueryAsync<long>(
                "SELECT department_id FROM record_shares WHERE record_id = @RecordId AND department_id <> @DepartmentId ORDER BY department_id",
                new { a.RecordId, a.DepartmentId }, tx)).ToList();
            foreach (var d in receivers)
            {
                await files.NoticeAsync(conn, tx, CaseKinds.Repair, a.Id, "department", d, "repaired",
                    $"信用修复通知：{number}（记录 {a.RecordId}）已于 {Iso(today)} 完成信用修复，请停止使用该信息并解除据此采取的相关措施。",
                    $"Credit repair notice: {number} (record {a.RecordId}) was repaired on {Iso(today)}; stop using it and lift any measures based on it.");
            }
            return $"publication ended ({Repaired}); {receivers.Count} receiving department(s) told";
        }, ct);
        // ListStore runs its own transactions (one per entry, with history and notices); SQLite allows one writer, so this follows the commit.
        await lists.EndBySourceRecordAsync(stored.Application.RecordId, ListEndReasons.Repaired, actor, ct);
        return stored;
    }

    public Task<StoredRepair> RejectAsync(long id, Handler handler, string reasons, DateOnly? reapplyFrom, Actor actor, CancellationToken ct = default) =>
        TransitionAsync(id, actor, async (a, conn, tx) =>
        {
            a.Reject(handler, clock.GetUtcNow().UtcDateTime, Today, reasons, rules, reapplyFrom);
            await files.NoticeAsync(conn, tx, CaseKinds.Repair, a.Id, "subject", null, "rejected",
                $"你（单位）的信用修复申请未获通过。理由：{a.Reasons}。可于 {Iso(a.ReapplyFrom!.Value)} 起重新申请。",
                $"Your repair application was not granted. Reasons: {a.Reasons}. A new application is possible from {Iso(a.ReapplyFrom!.Value)}.");
            return a.Reasons;
        }, ct);

    /// <summary>Marks overdue open applications as escalated to the credit office (once each) and tells the office.</summary>
    public async Task<int> EscalateOverdueAsync(Actor actor, CancellationToken ct = default)
    {
        var today = Today;
        List<long> ids;
        await using (var conn = await db.OpenAsync(ct))
        {
            ids = (await conn.QueryAsync<long>(
                """
                SELECT id FROM repair_applications WHERE escalated_on IS NULL AND
                  ((status = 'submitted' AND accept_by < @today) OR (status = 'accepted' AND decide_by < @today)) ORDER BY id
                """, new { today })).ToList();
        }
        var n = 0;
        foreach (var id in ids)
        {
            await using var conn = await db.OpenAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var stored = (await LoadAsync(conn, tx, id, forUpdate: true))!;
            var a = stored.Application;
            if (!a.Escalate(today)) continue;
            await conn.ExecuteAsync("UPDATE repair_applications SET escalated_on = @today, updated_at = @now WHERE id = @id",
                new { today, now = clock.GetUtcNow().UtcDateTime, id }, tx);
            await files.NoticeAsync(conn, tx, CaseKinds.Repair, id, "credit-office", null, "escalated",
                $"信用修复申请 {stored.Reference} 已超过办理期限（{Iso(a.NextDeadline!.Value)}，{RepairApplication.StatusZh(a.Status)}），请市信用办督办",
                $"Repair application {stored.Reference} is overdue (due {Iso(a.NextDeadline!.Value)}); the credit office should follow it up");
            await StepAsync(conn, tx, id, StatusCode(a.Status), StatusCode(a.Status), "escalated to the credit office", actor, ct, "repair.escalated");
            await tx.CommitAsync(ct);
            n++;
        }
        return n;
    }

    public async Task<IReadOnlyList<CaseStep>> StepsAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<CaseStep>(
            "SELECT id, from_status, to_status, note, actor, at FROM repair_steps WHERE application_id = @id ORDER BY id", new { id })).ToList();
    }

    public async Task<IReadOnlyList<StoredRepair>> ListAsync(long? departmentId = null, long? subjectId = null, bool? open = null, int limit = 200,
        CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var state = open switch { null => "", true => " AND status IN ('submitted', 'accepted')", false => " AND status IN ('approved', 'rejected')" };
        var rows = await conn.QueryAsync<Row>(
            $"SELECT {Columns} FROM repair_applications WHERE (@departmentId IS NULL OR department_id = @departmentId) AND (@subjectId IS NULL OR subject_id = @subjectId){state} ORDER BY id DESC LIMIT @limit",
            new { departmentId, subjectId, limit });
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>Records that a department received records through the exchange (so it is told when they are repaired).</summary>
    public async Task RecordSharesAsync(long departmentId, IReadOnlyCollection<long> recordIds, CancellationToken ct = default)
    {
        if (recordIds.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var recordId in recordIds.Distinct())
        {
            await conn.ExecuteAsync(
                """
                INSERT INTO record_shares (record_id, department_id, first_shared_at, last_shared_at) VALUES (@recordId, @departmentId, @now, @now)
                ON CONFLICT (record_id, department_id) DO UPDATE SET last_shared_at = excluded.last_shared_at
                """, new { recordId, departmentId, now }, tx);
        }
        await tx.CommitAsync(ct);
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    private sealed record Found(long SubjectId, long DepartmentId, RepairEligibility Eligibility);

    private async Task<Found?> EligibilityAsync(DbConnection conn, DbTransaction? tx, long recordId)
    {
        var p = await conn.QuerySingleOrDefaultAsync<PublicationRow>(
            """
            SELECT r.subject_id, r.department_id, p.decision_date, p.grade, p.repair_from, p.published, p.ended_reason
            FROM records r JOIN publications p ON p.record_id = r.id WHERE r.id = @recordId
            """, new { recordId }, tx);
        if (p is null) return null;
        var reapply = await conn.ExecuteScalarAsync<DateOnly?>(
            "SELECT reapply_from FROM repair_applications WHERE record_id = @recordId AND status = 'rejected' ORDER BY id DESC LIMIT 1", new { recordId }, tx);
        var open = await conn.ExecuteScalarAsync<long?>(
            "SELECT id FROM repair_applications WHERE record_id = @recordId AND status IN ('submitted', 'accepted')", new { recordId }, tx);
        var ended = p.EndedReason ?? (p.Published ? null : "withheld");
        return new Found(p.SubjectId, p.DepartmentId, new RepairEligibility(p.DecisionDate, p.Grade is null ? null : PenaltyGrades.FromCode(p.Grade),
            p.RepairFrom, ended, reapply, open is not null));
    }

    private delegate Task<string?> Step(RepairApplication application, DbConnection conn, DbTransaction tx);

    private async Task<StoredRepair> TransitionAsync(long id, Actor actor, Step step, CancellationToken ct)
    {
        await using (var conn = await db.OpenAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var stored = await LoadAsync(conn, tx, id, forUpdate: true) ?? throw new CaseNotFoundException(CaseKinds.Repair, id);
            var a = stored.Application;
            var from = StatusCode(a.Status);
            var note = await step(a, conn, tx);
            await conn.ExecuteAsync(
                """
                UPDATE repair_applications SET status = @status, accepted_at = @AcceptedAt, accepted_by = @AcceptedBy, decided_at = @DecidedAt,
                  decided_by = @DecidedBy, reasons = @Reasons, reapply_from = @ReapplyFrom, updated_at = @now WHERE id = @Id
                """,
                new { status = StatusCode(a.Status), a.AcceptedAt, a.AcceptedBy, a.DecidedAt, a.DecidedBy, a.Reasons, a.ReapplyFrom,
                    now = clock.GetUtcNow().UtcDateTime, a.Id }, tx);
            await StepAsync(conn, tx, a.Id, from, StatusCode(a.Status), note, actor, ct);
            await tx.CommitAsync(ct);
        }
        return (await GetAsync(id, ct))!;
    }

    private async Task StepAsync(DbConnection conn, DbTransaction tx, long id, string from, string to, string? note, Actor actor, CancellationToken ct,
        string? action = null)
    {
        await conn.ExecuteAsync(
            "INSERT INTO repair_steps (application_id, from_status, to_status, note, actor, at) VALUES (@id, @from, @to, @note, @actor, @at)",
            new { id, from, to, note, actor = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, action ?? "repair." + to, CaseKinds.Repair, id.ToString(CultureInfo.InvariantCulture), new { from, to, note }, conn, tx, ct);
    }

    private async Task<StoredRepair?> LoadAsync(DbConnection conn, DbTransaction? tx, long id, bool forUpdate) =>
        (await conn.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM repair_applications WHERE id = @id{(forUpdate && !db.IsSqlite ? " FOR UPDATE" : "")}",
            new { id }, tx))?.ToStored();

    public static string StatusCode(RepairStatus s) => s.ToString().ToLowerInvariant();

    private static string Digits(string? s) => new((s ?? "").Where(char.IsAsciiDigit).ToArray());

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class PublicationRow
    {
        public long SubjectId { get; set; }
        public long DepartmentId { get; set; }
        public DateOnly DecisionDate { get; set; }
        public string? Grade { get; set; }
        public DateOnly? RepairFrom { get; set; }
        public bool Published { get; set; }
        public string? EndedReason { get; set; }
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Reference { get; set; } = "";
        public long SubjectId { get; set; }
        public long RecordId { get; set; }
        public long DepartmentId { get; set; }
        public string Channel { get; set; } = "";
        public string ContactName { get; set; } = "";
        public string ContactPhone { get; set; } = "";
        public bool ObligationsPerformed { get; set; }
        public string ObligationsNote { get; set; } = "";
        public bool CommitmentMade { get; set; }
        public string CommitmentText { get; set; } = "";
        public string SubmittedBy { get; set; } = "";
        public string RuleSet { get; set; } = "";
        public DateOnly EarliestRepairDate { get; set; }
        public DateOnly SubmittedOn { get; set; }
        public DateTime SubmittedAt { get; set; }
        public DateOnly AcceptBy { get; set; }
        public DateOnly DecideBy { get; set; }
        public string Status { get; set; } = "";
        public DateTime? AcceptedAt { get; set; }
        public string? AcceptedBy { get; set; }
        public DateTime? DecidedAt { get; set; }
        public string? DecidedBy { get; set; }
        public string? Reasons { get; set; }
        public DateOnly? ReapplyFrom { get; set; }
        public DateOnly? EscalatedOn { get; set; }

        public StoredRepair ToStored() => new(RepairApplication.Restore(new RepairSnapshot
        {
            Id = Id, SubjectId = SubjectId, RecordId = RecordId, DepartmentId = DepartmentId, Channel = Channel, ContactName = ContactName,
            ContactPhone = ContactPhone, ObligationsPerformed = ObligationsPerformed, ObligationsNote = ObligationsNote, CommitmentMade = CommitmentMade,
            SubmittedBy = SubmittedBy, RuleSetId = RuleSet, EarliestRepairDate = EarliestRepairDate, SubmittedOn = SubmittedOn, SubmittedAt = SubmittedAt,
            AcceptBy = AcceptBy, DecideBy = DecideBy, Status = Enum.Parse<RepairStatus>(Status, ignoreCase: true), AcceptedAt = AcceptedAt,
            AcceptedBy = AcceptedBy, DecidedAt = DecidedAt, DecidedBy = DecidedBy, Reasons = Reasons, ReapplyFrom = ReapplyFrom, EscalatedOn = EscalatedOn,
        }), Reference, CommitmentText);
    }
}
