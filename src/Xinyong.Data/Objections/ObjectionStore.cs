using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Objections;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Lists;
using Xinyong.Data.Publication;
using Xinyong.Core.Lists;

namespace Xinyong.Data.Objections;

/// <summary>An objection as stored, with its public reference and the record version its decision produced.</summary>
public sealed record StoredObjection(Objection Objection, string Reference, int? CorrectedVersion);

/// <summary>
/// Objections on storage: each step loads the case, lets <see cref="Objection"/> decide whether the move is legal, and
/// stores the new state, its step row and the audit entry in one transaction. What a decision does to the item (a new
/// record version, a withdrawal) happens in the same transaction through <see cref="ObjectionCorrections"/>; the public
/// projection and list entries follow right after the commit.
/// </summary>
public sealed class ObjectionStore(XinyongDatabase db, DueProcessRules rules, WorkingDayCalendar calendar, CaseFiles files, AuditLog audit,
    TimeProvider clock, ObjectionCorrections corrections, PublicationProjector projector, ListStore lists)
{
    private const string Columns =
        "id, reference, subject_id, target_kind, target_id, department_id, channel, contact_name, contact_phone, claim, filed_by, rule_set, filed_on, " +
        "filed_at, acknowledge_by, verify_by, decide_by, status, acknowledged_at, acknowledged_by, verified_at, verified_by, verification_note, " +
        "decided_at, decided_by, outcome, reasons, corrections, withdraw, corrected_version, escalated_on";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DateOnly Today => DueProcessClock.Today(clock);

    /// <summary>
    /// Files an objection. The item is resolved here: its subject must be the one filing, and the case goes to the
    /// department that provided it whatever the filing says. A second open objection on the same item is refused.
    /// </summary>
    public async Task<StoredObjection> FileAsync(ObjectionFiling filing, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filing);
        var today = Today;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var target = await ResolveTargetAsync(conn, tx, filing.TargetKind, filing.TargetId)
                     ?? throw new RefusedException("target_unknown", "未找到异议所针对的信息", "The item objected to does not exist", RefusalKind.Invalid);
        if (target.SubjectId != filing.SubjectId)
            throw new RefusedException("target_not_yours", "该信息不属于该主体", "The item does not belong to this subject", RefusalKind.Forbidden);
        var open = await conn.ExecuteScalarAsync<string?>(
            "SELECT reference FROM objections o WHERE o.target_kind = @kind AND o.target_id = @id AND " + OpenObjections.OpenPredicate,
            new { kind = KindCode(filing.TargetKind), id = filing.TargetId }, tx);
        if (open is not null)
            throw new RefusedException("already_open", $"该信息已有正在办理的异议（{open}）", $"An objection about this item is already being handled ({open})", RefusalKind.Conflict);
        var objection = Objection.File(filing with { DepartmentId = target.DepartmentId }, rules, calendar, now, today);
        var reference = CaseFiles.NewReference("YY", today);
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO objections (reference, subject_id, target_kind, target_id, department_id, channel, contact_name, contact_phone, claim, filed_by,
              rule_set, filed_on, filed_at, acknowledge_by, verify_by, decide_by, status, updated_at)
            VALUES (@reference, @SubjectId, @kind, @TargetId, @DepartmentId, @Channel, @ContactName, @ContactPhone, @Claim, @FiledBy,
              @RuleSetId, @FiledOn, @FiledAt, @AcknowledgeBy, @VerifyBy, @DecideBy, 'filed', @now)
            RETURNING id
            """,
            new { reference, objection.SubjectId, kind = KindCode(objection.TargetKind), objection.TargetId, objection.DepartmentId, objection.Channel,
                objection.ContactName, objection.ContactPhone, objection.Claim, objection.FiledBy, objection.RuleSetId, objection.FiledOn,
                objection.FiledAt, objection.AcknowledgeBy, objection.VerifyBy, objection.DecideBy, now }, tx);
        objection.AssignId(id);
        await StepAsync(conn, tx, id, "", "filed", $"{objection.Channel}; {KindCode(objection.TargetKind)} {objection.TargetId}", actor, ct);
        await tx.CommitAsync(ct);
        return new StoredObjection(objection, reference, null);
    }

    public async Task<StoredObjection?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await LoadAsync(conn, null, id, forUpdate: false);
    }

    /// <summary>The case for a public status look-up: the reference and the contact phone given when filing must both match.</summary>
    public async Task<StoredObjection?> FindForSubjectAsync(string reference, string contactPhone, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM objections WHERE reference = @reference", new { reference = reference.Trim().ToUpperInvariant() });
        return row is not null && Digits(row.ContactPhone) == Digits(contactPhone) && Digits(contactPhone).Length > 0 ? row.ToStored() : null;
    }

    public Task<StoredObjection> AcknowledgeAsync(long id, Handler handler, Actor actor, CancellationToken ct = default) =>
        TransitionAsync(id, actor, (o, _, _) =>
        {
            o.Acknowledge(handler, clock.GetUtcNow().UtcDateTime);
            return Task.FromResult<string?>(null);
        }, ct);

    public Task<StoredObjection> VerifyAsync(long id, Handler handler, string note, Actor actor, CancellationToken ct = default) =>
        TransitionAsync(id, actor, (o, _, _) =>
        {
            o.Verify(handler, clock.GetUtcNow().UtcDateTime, note);
            return Task.FromResult<string?>(note);
        }, ct);

    /// <summary>
    /// Decides once. A correction becomes a new record version and a withdrawal ends the record's publication in the
    /// decision's transaction (with the notice to the subject); then the record is projected again, so pages, search,
    /// exports and later checks read the corrected data, and list entries withdrawn or resting on a withdrawn record are removed.
    /// </summary>
    public async Task<StoredObjection> DecideAsync(long id, Handler handler, ObjectionOutcome outcome, string? reasons, IReadOnlyList<FieldCorrection>? fieldCorrections,
        bool withdraw, Actor actor, CancellationToken ct = default)
    {
        var stored = await TransitionAsync(id, actor, async (o, conn, tx) =>
        {
            o.Decide(handler, clock.GetUtcNow().UtcDateTime, outcome, reasons, fieldCorrections, withdraw);
            var reference = await conn.ExecuteScalarAsync<string>("SELECT reference FROM objections WHERE id = @id", new { id }, tx);
            var version = await corrections.ApplyAsync(o, reference!, conn, tx, actor, ct);
            if (version is { } v)
                await conn.ExecuteAsync("UPDATE objections SET corrected_version = @v WHERE id = @id", new { v, id = o.Id }, tx);
            var (zh, en) = DecisionText(o);
            await files.NoticeAsync(conn, tx, CaseKinds.Objection, o.Id, "subject", null, "decided", zh, en);
            return $"{Code(o.Outcome!.Value)}{(o.Reasons is null ? "" : ": " + o.Reasons)}";
        }, ct);
        var decided = stored.Objection;
        // The projector and the list workflow write in their own transactions; SQLite allows one writer, so they follow the commit.
        if (decided.TargetKind == ObjectionTargetKind.Record && (decided.Corrections.Count > 0 || decided.Withdraw))
            await projector.ProjectRecordsAsync([decided.TargetId], ct);
        if (decided.Withdraw)
        {
            var why = $"异议成立，已撤销（{stored.Reference}）";
            if (decided.TargetKind == ObjectionTargetKind.ListEntry) await lists.RemoveAsync(decided.TargetId, why, actor, ct);
            else
            {
                foreach (var e in (await lists.ListAsync(new ListEntryFilter(SubjectId: decided.SubjectId), 1, 500, ct)).Items
                             .Where(e => e.SourceRecordId == decided.TargetId && e.Status is ListStatus.Published or ListStatus.Suspended))
                    await lists.RemoveAsync(e.Id, why, actor, ct);
            }
        }
        return (await GetAsync(id, ct))!;
    }

    /// <summary>Marks every overdue open case as escalated to the credit office (once each) and tells the office. Returns how many.</summary>
    public async Task<int> EscalateOverdueAsync(Actor actor, CancellationToken ct = default)
    {
        var today = Today;
        List<long> ids;
        await using (var conn = await db.OpenAsync(ct))
        {
            ids = (await conn.QueryAsync<long>(
                """
                SELECT id FROM objections WHERE status <> 'decided' AND escalated_on IS NULL AND (
                  (status = 'filed' AND acknowledge_by < @today) OR (status = 'acknowledged' AND verify_by < @today) OR (status = 'verified' AND decide_by < @today))
                ORDER BY id
                """, new { today })).ToList();
        }
        var n = 0;
        foreach (var id in ids)
        {
            await using var conn = await db.OpenAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var stored = (await LoadAsync(conn, tx, id, forUpdate: true))!;
            var o = stored.Objection;
            if (!o.Escalate(today)) continue;
            await conn.ExecuteAsync("UPDATE objections SET escalated_on = @today, updated_at = @now WHERE id = @id",
                new { today, now = clock.GetUtcNow().UtcDateTime, id }, tx);
            await files.NoticeAsync(conn, tx, CaseKinds.Objection, id, "credit-office", null, "escalated",
                $"异议 {stored.Reference} 已超过办理期限（{Iso(o.NextDeadline!.Value)}，{Objection.StatusZh(o.Status)}），请市信用办督办",
                $"Objection {stored.Reference} is overdue (due {Iso(o.NextDeadline!.Value)}, {o.Status.ToString().ToLowerInvariant()}); the credit office should follow it up");
            await StepAsync(conn, tx, id, StatusCode(o.Status), StatusCode(o.Status), "escalated to the credit office", actor, ct, action: "objection.escalated");
            await tx.CommitAsync(ct);
            n++;
        }
        return n;
    }

    public async Task<IReadOnlyList<CaseStep>> StepsAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<CaseStep>(
            "SELECT id, from_status, to_status, note, actor, at FROM objection_steps WHERE objection_id = @id ORDER BY id", new { id })).ToList();
    }

    /// <summary>Cases, newest first, filtered by department, subject and whether they are open.</summary>
    public async Task<IReadOnlyList<StoredObjection>> ListAsync(long? departmentId = null, long? subjectId = null, bool? open = null, int limit = 200,
        CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var state = open switch { null => "", true => " AND " + OpenObjections.OpenPredicate, false => " AND NOT (" + OpenObjections.OpenPredicate + ")" };
        var rows = await conn.QueryAsync<Row>(
            $"SELECT {Columns} FROM objections o WHERE (@departmentId IS NULL OR department_id = @departmentId) AND (@subjectId IS NULL OR subject_id = @subjectId){state} ORDER BY id DESC LIMIT @limit",
            new { departmentId, subjectId, limit });
        return rows.Select(r => r.ToStored()).ToList();
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    private delegate Task<string?> Step(Objection objection, DbConnection conn, DbTransaction tx);

    private async Task<StoredObjection> TransitionAsync(long id, Actor actor, Step step, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var stored = await LoadAsync(conn, tx, id, forUpdate: true) ?? throw new CaseNotFoundException(CaseKinds.Objection, id);
        var o = stored.Objection;
        var from = StatusCode(o.Status);
        var note = await step(o, conn, tx);
        await conn.ExecuteAsync(
            """
            UPDATE objections SET status = @status, acknowledged_at = @AcknowledgedAt, acknowledged_by = @AcknowledgedBy, verified_at = @VerifiedAt,
              verified_by = @VerifiedBy, verification_note = @VerificationNote, decided_at = @DecidedAt, decided_by = @DecidedBy, outcome = @outcome,
              reasons = @Reasons, corrections = @corrections, withdraw = @Withdraw, updated_at = @now WHERE id = @Id
            """,
            new { status = StatusCode(o.Status), o.AcknowledgedAt, o.AcknowledgedBy, o.VerifiedAt, o.VerifiedBy, o.VerificationNote, o.DecidedAt, o.DecidedBy,
                outcome = o.Outcome is { } oc ? Code(oc) : null, o.Reasons, corrections = JsonSerializer.Serialize(o.Corrections, Json), o.Withdraw,
                now = clock.GetUtcNow().UtcDateTime, o.Id }, tx);
        await StepAsync(conn, tx, o.Id, from, StatusCode(o.Status), note, actor, ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    private async Task StepAsync(DbConnection conn, DbTransaction tx, long id, string from, string to, string? note, Actor actor, CancellationToken ct,
        string? action = null)
    {
        await conn.ExecuteAsync(
            "INSERT INTO objection_steps (objection_id, from_status, to_status, note, actor, at) VALUES (@id, @from, @to, @note, @actor, @at)",
            new { id, from, to, note, actor = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, action ?? "objection." + to, CaseKinds.Objection, id.ToString(CultureInfo.InvariantCulture), new { from, to, note }, conn, tx, ct);
    }

    private async Task<StoredObjection?> LoadAsync(DbConnection conn, DbTransaction? tx, long id, bool forUpdate) =>
        (await conn.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM objections WHERE id = @id{(forUpdate && !db.IsSqlite ? " FOR UPDATE" : "")}", new { id }, tx))
        ?.ToStored();

    internal sealed record Target(long SubjectId, long DepartmentId);

    private static async Task<Target?> ResolveTargetAsync(DbConnection conn, DbTransaction tx, ObjectionTargetKind kind, long id)
    {
        var sql = kind switch
        {
            ObjectionTargetKind.Record => "SELECT subject_id, department_id FROM records WHERE id = @id",
            ObjectionTargetKind.ListEntry => "SELECT subject_id, department_id FROM list_entries WHERE id = @id",
            // A check result is answered by the department that ran the check, or the credit office for its own checks.
            ObjectionTargetKind.CheckResult => """
                SELECT r.subject_id, COALESCE(c.department_id, (SELECT MIN(d.id) FROM departments d WHERE d.kind = 'credit_office')) AS department_id
                FROM check_results r JOIN check_runs c ON c.id = r.run_id WHERE r.id = @id AND r.subject_id IS NOT NULL
                """,
            _ => null,
        };
        if (sql is null)
            throw new RefusedException("target_kind_unsupported", "暂不能对该类信息提出异议", "Objections against this kind of item are not supported yet", RefusalKind.Invalid);
        var row = await conn.QuerySingleOrDefaultAsync<(long SubjectId, long DepartmentId)?>(sql, new { id }, tx);
        return row is { } r ? new Target(r.SubjectId, r.DepartmentId) : null;
    }

    private static (string Zh, string En) DecisionText(Objection o)
    {
        var zh = $"你（单位）提出的异议经核查：{Objection.OutcomeZh(o.Outcome!.Value)}。";
        var en = $"Your objection has been decided: {o.Outcome!.Value}.";
        if (o.Withdraw) { zh += "相关信息已撤销。"; en += " The item has been withdrawn."; }
        if (o.Corrections.Count > 0)
        {
            zh += "已更正：" + string.Join("；", o.Corrections.Select(c => $"{c.Field} 由“{c.OldValue}”更正为“{c.NewValue}”")) + "。";
            en += " Corrected: " + string.Join("; ", o.Corrections.Select(c => $"{c.Field} from '{c.OldValue}' to '{c.NewValue}'")) + ".";
        }
        if (o.Reasons is not null) { zh += "理由：" + o.Reasons; en += " Reasons: " + o.Reasons; }
        return (zh, en);
    }

    public static string KindCode(ObjectionTargetKind kind) => kind switch
    {
        ObjectionTargetKind.Record => "record",
        ObjectionTargetKind.ListEntry => "list_entry",
        _ => "check_result",
    };

    public static string StatusCode(ObjectionStatus s) => s.ToString().ToLowerInvariant();

    public static string Code(ObjectionOutcome o) => o switch
    {
        ObjectionOutcome.Upheld => "upheld",
        ObjectionOutcome.PartlyUpheld => "partly_upheld",
        _ => "rejected",
    };

    private static string Digits(string? s) => new((s ?? "").Where(char.IsAsciiDigit).ToArray());

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class Row
    {
        public long Id { get; set; }
        public string Reference { get; set; } = "";
        public long SubjectId { get; set; }
        public string TargetKind { get; set; } = "";
        public long TargetId { get; set; }
        public long DepartmentId { get; set; }
        public string Channel { get; set; } = "";
        public string ContactName { get; set; } = "";
        public string ContactPhone { get; set; } = "";
        public string Claim { get; set; } = "";
        public string FiledBy { get; set; } = "";
        public string RuleSet { get; set; } = "";
        public DateOnly FiledOn { get; set; }
        public DateTime FiledAt { get; set; }
        public DateOnly AcknowledgeBy { get; set; }
        public DateOnly VerifyBy { get; set; }
        public DateOnly DecideBy { get; set; }
        public string Status { get; set; } = "";
        public DateTime? AcknowledgedAt { get; set; }
        public string? AcknowledgedBy { get; set; }
        public DateTime? VerifiedAt { get; set; }
        public string? VerifiedBy { get; set; }
        public string? VerificationNote { get; set; }
        public DateTime? DecidedAt { get; set; }
        public string? DecidedBy { get; set; }
        public string? Outcome { get; set; }
        public string? Reasons { get; set; }
        public string Corrections { get; set; } = "[]";
        public bool Withdraw { get; set; }
        public int? CorrectedVersion { get; set; }
        public DateOnly? EscalatedOn { get; set; }

        public StoredObjection ToStored() => new(Objection.Restore(new ObjectionSnapshot
        {
            Id = Id, SubjectId = SubjectId, DepartmentId = DepartmentId, Channel = Channel, ContactName = ContactName, ContactPhone = ContactPhone,
            TargetKind = TargetKind switch { "record" => ObjectionTargetKind.Record, "list_entry" => ObjectionTargetKind.ListEntry, _ => ObjectionTargetKind.CheckResult },
            TargetId = TargetId, Claim = Claim, FiledBy = FiledBy, RuleSetId = RuleSet, FiledOn = FiledOn, FiledAt = FiledAt, AcknowledgeBy = AcknowledgeBy,
            VerifyBy = VerifyBy, DecideBy = DecideBy, Status = Enum.Parse<ObjectionStatus>(Status, ignoreCase: true), AcknowledgedAt = AcknowledgedAt,
            AcknowledgedBy = AcknowledgedBy, VerifiedAt = VerifiedAt, VerifiedBy = VerifiedBy, VerificationNote = VerificationNote, DecidedAt = DecidedAt,
            DecidedBy = DecidedBy,
            Outcome = Outcome switch { null => null, "upheld" => ObjectionOutcome.Upheld, "partly_upheld" => ObjectionOutcome.PartlyUpheld, _ => ObjectionOutcome.Rejected },
            Reasons = Reasons, Corrections = JsonSerializer.Deserialize<List<FieldCorrection>>(Corrections, Json) ?? [], Withdraw = Withdraw,
            EscalatedOn = EscalatedOn,
        }), Reference, CorrectedVersion);
    }
}
