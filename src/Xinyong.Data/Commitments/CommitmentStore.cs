using System.Data.Common;
using System.Globalization;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Commitments;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;

namespace Xinyong.Data.Commitments;

/// <summary>Staff filter over commitments in any state.</summary>
public sealed record CommitmentFilter(long? DepartmentId = null, string? Kind = null, string? Status = null, long? SubjectId = null);

/// <summary>A commitment as staff list it: with the subject's name and the department's.</summary>
public sealed record CommitmentRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = default!;
    public long SubjectId { get; init; }
    public string SubjectName { get; init; } = default!;
    public long DepartmentId { get; init; }
    public string DepartmentName { get; init; } = default!;
    public string Channel { get; init; } = default!;
    public string Status { get; init; } = default!;
    public string? Matter { get; init; }
    public DateOnly MadeOn { get; init; }
    public DateOnly? DueOn { get; init; }
    public long? BreachRecordId { get; init; }
}

/// <summary>
/// The commitment workflow on storage: each step loads the commitment, lets <see cref="Commitment"/> decide whether
/// the move is legal, and stores the new state, its history row and the audit entry in one transaction. A confirmed
/// breach also writes the breach record (via <see cref="BreachRecords"/>) in the same transaction.
/// </summary>
public sealed class CommitmentStore(XinyongDatabase db, CommitmentKindCatalogue kinds, DepartmentStore departments, BreachRecords breaches,
    Subjects.SubjectStore subjects, AuditLog audit, TimeProvider clock)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    internal const string Columns =
        "id, kind, kind_version, subject_id, department_id, channel, status, content, matter, legal_basis, made_on, due_on, published_on, fulfilled_on, " +
        "suspected_on, suspicion_note, confirmed_on, breach_decision_number, breach_facts, breach_basis, breach_grade, breach_record_id, cleared_on, clear_note, " +
        "business_key, contact_name, contact_phone";

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);

    public CommitmentKindCatalogue Kinds => kinds;

    /// <summary>
    /// Registers a commitment for the actor's department (or, for the credit office, the one named), optionally publishing it
    /// at once. Idempotent by business key per department: a commitment sent again returns the stored one with Created = false.
    /// </summary>
    public async Task<(Commitment Commitment, bool Created)> RegisterAsync(CommitmentDraft draft, Actor actor, bool publish, CancellationToken ct = default)
    {
        var department = await DepartmentOf(actor, draft.DepartmentId, ct);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await RegisterAsync(conn, tx, draft with { DepartmentId = department.Id }, actor, publish, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    internal async Task<(Commitment Commitment, bool Created)> RegisterAsync(DbConnection conn, DbTransaction tx, CommitmentDraft draft, Actor actor, bool publish,
        CancellationToken ct)
    {
        var today = Today;
        var kind = kinds.Find(draft.Kind, draft.MadeOn) ?? kinds.Find(draft.Kind, today) ?? throw UnknownKind(draft.Kind);
        if (!string.IsNullOrWhiteSpace(draft.BusinessKey))
        {
            var existing = await conn.QuerySingleOrDefaultAsync<Commitment>(
                $"SELECT {Columns} FROM commitments WHERE department_id = @DepartmentId AND business_key = @key",
                new { draft.DepartmentId, key = draft.BusinessKey.Trim() }, tx);
            if (existing is not null) return (existing, false);
        }
        if (await conn.ExecuteScalarAsync<long?>("SELECT id FROM subjects WHERE id = @SubjectId", new { draft.SubjectId }, tx) is null)
        {
            throw new CommitmentRefusedException(new CommitmentRefusal("unknown-subject", "subjectId", $"主体 {draft.SubjectId} 不存在。",
                $"Subject {draft.SubjectId} does not exist.", CommitmentRefusalKind.NotFound));
        }
        var c = Commitment.Register(draft, kind, today);
        await InsertAsync(conn, tx, c, actor);
        await EventAsync(conn, tx, c.Id, new CommitmentTransition("", CommitmentStatus.Registered, today, $"{kind.NameZh} ({draft.Channel})"), actor, ct);
        if (publish)
        {
            var t = c.Publish(today < c.MadeOn ? c.MadeOn : today);
            await UpdateAsync(conn, tx, c);
            await EventAsync(conn, tx, c.Id, t, actor, ct);
        }
        return (c, true);
    }

    /// <summary>
    /// A commitment a subject makes itself on the public website, identified by its code and a contact (kept off public
    /// surfaces). It is made to the credit office and published at once: the platform publishes the subject's own declaration.
    /// </summary>
    public async Task<Commitment> MakeOnlineAsync(string? code, string kind, string? content, string? contactName, string? contactPhone, CancellationToken ct = default)
    {
        var subject = string.IsNullOrWhiteSpace(code) ? null : await subjects.FindByCodeAsync(code, ct);
        if (subject is null)
        {
            throw new CommitmentRefusedException(new CommitmentRefusal("unknown-subject", "code", "平台上没有该统一社会信用代码对应的主体，请核对代码。",
                "No subject with this unified social credit code is on the platform; check the code.", CommitmentRefusalKind.NotFound));
        }
        if (subject.Kind == "natural_person")
        {
            throw new CommitmentRefusedException(new CommitmentRefusal("natural-person", "code", "自然人请到服务窗口办理信用承诺。",
                "Natural persons make commitments at a service counter.", CommitmentRefusalKind.Invalid));
        }
        var office = (await departments.ListAsync(ct)).FirstOrDefault(d => d.IsCreditOffice)
                     ?? throw new InvalidOperationException("No credit office among the member units.");
        var actor = new Actor(ActorKind.System, $"website:{subject.Uscc ?? code!.Trim()}/{contactName?.Trim()}");
        var (c, _) = await RegisterAsync(new CommitmentDraft(kind, subject.Id, office.Id, content, null, Today, null, CommitmentChannels.Online,
            ContactName: contactName, ContactPhone: contactPhone), actor, publish: true, ct);
        return c;
    }

    public Task<Commitment> PublishAsync(long id, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, (c, _, _, today) => Task.FromResult(c.Publish(today)), ct);

    public Task<Commitment> FulfilAsync(long id, string? note, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, (c, _, _, today) => Task.FromResult(c.Fulfil(today, note)), ct);

    public Task<Commitment> SuspectBreachAsync(long id, string? facts, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, (c, _, _, today) => Task.FromResult(c.SuspectBreach(today, facts)), ct);

    public Task<Commitment> ClearAsync(long id, string? reason, Actor actor, CancellationToken ct = default) =>
        StepAsync(id, actor, (c, _, _, today) => Task.FromResult(c.Clear(today, reason)), ct);

    /// <summary>
    /// Confirms a breach. In the same transaction the breach becomes a record on the subject (type commitment-breach, with
    /// the legal basis), so it goes through the publication rules like every record and is open to objection and repair.
    /// </summary>
    public async Task<Commitment> ConfirmBreachAsync(long id, BreachFinding finding, Actor actor, CancellationToken ct = default)
    {
        long submissionId = 0;
        var c = await StepAsync(id, actor, async (c, conn, tx, today) =>
        {
            var kind = kinds.Find(c.Kind, c.KindVersion) ?? kinds.Latest(c.Kind)!;
            var t = c.ConfirmBreach(today, finding, kind);
            var department = (await departments.GetAsync(c.DepartmentId, ct))!;
            (var recordId, submissionId) = await breaches.WriteAsync(conn, tx, c, kind, department, actor, ct);
            c.AttachBreachRecord(recordId);
            return t;
        }, ct);
        // After the commit: the record goes through the rules now; if this fails, the start-up catch-up projects it.
        await breaches.ProjectAsync(submissionId, ct);
        return c;
    }

    public async Task<Commitment?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await LoadAsync(conn, null, id, forUpdate: false);
    }

    public async Task<IReadOnlyList<StatusEvent>> HistoryAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<StatusEvent>(
            "SELECT id, from_status, to_status, on_date, note, actor, at FROM commitment_events WHERE commitment_id = @id ORDER BY id", new { id })).ToList();
    }

    /// <summary>One page (from 1) of commitments for staff, newest first.</summary>
    public async Task<(IReadOnlyList<CommitmentRow> Items, int Total)> ListAsync(CommitmentFilter filter, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 500);
        const string where = """
            (@dept IS NULL OR c.department_id = @dept) AND (@kind IS NULL OR c.kind = @kind) AND (@status IS NULL OR c.status = @status)
            AND (@subject IS NULL OR c.subject_id = @subject)
            """;
        var args = new { dept = filter.DepartmentId, kind = filter.Kind, status = filter.Status, subject = filter.SubjectId, take = pageSize, skip = (page - 1) * pageSize };
        await using var conn = await db.OpenAsync(ct);
        var total = await conn.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM commitments c WHERE {where}", args);
        var items = await conn.QueryAsync<CommitmentRow>($"""
            SELECT c.id, c.kind, c.subject_id, s.name AS subject_name, c.department_id, d.name AS department_name, c.channel, c.status, c.matter, c.made_on,
                   c.due_on, c.breach_record_id
            FROM commitments c JOIN subjects s ON s.id = c.subject_id JOIN departments d ON d.id = c.department_id
            WHERE {where} ORDER BY c.id DESC LIMIT @take OFFSET @skip
            """, args);
        return (items.ToList(), total);
    }

    private async Task<Commitment> StepAsync(long id, Actor actor, Func<Commitment, DbConnection, DbTransaction, DateOnly, Task<CommitmentTransition>> step,
        CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var c = await LoadAsync(conn, tx, id, forUpdate: true) ?? throw new CommitmentRefusedException(new CommitmentRefusal("not-found", "id",
            $"承诺 {id} 不存在。", $"Commitment {id} does not exist.", CommitmentRefusalKind.NotFound));
        if (actor.DepartmentId is { } mine && mine != c.DepartmentId && !await IsCreditOfficeAsync(mine, ct))
        {
            throw new CommitmentRefusedException(new CommitmentRefusal("not-your-department", "departmentId",
                "该承诺向其他部门作出，只有受理部门（或市信用办）可以办理。", "This commitment was made to another department; only that department (or the credit office) may act on it.",
                CommitmentRefusalKind.Forbidden));
        }
        var t = await step(c, conn, tx, Today);
        await UpdateAsync(conn, tx, c);
        await EventAsync(conn, tx, c.Id, t, actor, ct);
        await tx.CommitAsync(ct);
        return c;
    }

    private async Task<bool> IsCreditOfficeAsync(long departmentId, CancellationToken ct) => (await departments.GetAsync(departmentId, ct))?.IsCreditOffice == true;

    internal async Task<Commitment?> LoadAsync(DbConnection conn, DbTransaction? tx, long id, bool forUpdate) =>
        await conn.QuerySingleOrDefaultAsync<Commitment>(
            $"SELECT {Columns} FROM commitments WHERE id = @id{(forUpdate && !db.IsSqlite ? " FOR UPDATE" : "")}", new { id }, tx);

    private async Task InsertAsync(DbConnection conn, DbTransaction tx, Commitment c, Actor actor)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO commitments (kind, kind_version, subject_id, department_id, channel, status, content, matter, legal_basis, made_on, due_on,
              business_key, contact_name, contact_phone, created_by, created_at, updated_at)
            VALUES (@Kind, @KindVersion, @SubjectId, @DepartmentId, @Channel, @Status, @Content, @Matter, @LegalBasis, @MadeOn, @DueOn,
              @BusinessKey, @ContactName, @ContactPhone, @by, @now, @now)
            RETURNING id
            """,
            new { c.Kind, c.KindVersion, c.SubjectId, c.DepartmentId, c.Channel, c.Status, c.Content, c.Matter, c.LegalBasis, c.MadeOn, c.DueOn,
                c.BusinessKey, c.ContactName, c.ContactPhone, by = actor.ToString(), now }, tx);
        c.AssignId(id);
    }

    private async Task UpdateAsync(DbConnection conn, DbTransaction tx, Commitment c) =>
        await conn.ExecuteAsync(
            """
            UPDATE commitments SET status = @Status, published_on = @PublishedOn, fulfilled_on = @FulfilledOn, suspected_on = @SuspectedOn,
              suspicion_note = @SuspicionNote, confirmed_on = @ConfirmedOn, breach_decision_number = @BreachDecisionNumber, breach_facts = @BreachFacts,
              breach_basis = @BreachBasis, breach_grade = @BreachGrade, breach_record_id = @BreachRecordId, cleared_on = @ClearedOn, clear_note = @ClearNote,
              updated_at = @now
            WHERE id = @Id
            """,
            new { c.Status, c.PublishedOn, c.FulfilledOn, c.SuspectedOn, c.SuspicionNote, c.ConfirmedOn, c.BreachDecisionNumber, c.BreachFacts, c.BreachBasis,
                c.BreachGrade, c.BreachRecordId, c.ClearedOn, c.ClearNote, c.Id, now = clock.GetUtcNow().UtcDateTime }, tx);

    private async Task EventAsync(DbConnection conn, DbTransaction tx, long commitmentId, CommitmentTransition t, Actor actor, CancellationToken ct)
    {
        await conn.ExecuteAsync(
            "INSERT INTO commitment_events (commitment_id, from_status, to_status, on_date, note, actor, at) VALUES (@commitmentId, @From, @To, @On, @Note, @actor, @at)",
            new { commitmentId, t.From, t.To, t.On, t.Note, actor = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, "commitment." + t.To, "commitment", commitmentId.ToString(CultureInfo.InvariantCulture),
            new { from = t.From, to = t.To, on = t.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), note = t.Note }, conn, tx, ct);
    }

    /// <summary>The receiving department: the actor's own, or for the credit office / platform the one named.</summary>
    internal async Task<Department> DepartmentOf(Actor actor, long requested, CancellationToken ct)
    {
        if (actor.DepartmentId is { } mine && requested != 0 && requested != mine && !await IsCreditOfficeAsync(mine, ct))
        {
            throw new CommitmentRefusedException(new CommitmentRefusal("not-your-department", "departmentId", "只能以本部门名义登记承诺。",
                "You can only register commitments for your own department.", CommitmentRefusalKind.Forbidden));
        }
        var id = requested != 0 ? requested : actor.DepartmentId ?? 0;
        return await departments.GetAsync(id, ct) ?? throw new CommitmentRefusedException(new CommitmentRefusal("department-required", "departmentId",
            "请选择受理承诺的部门。", "Choose the department the commitment is made to.", CommitmentRefusalKind.Invalid));
    }

    private static CommitmentRefusedException UnknownKind(string kind) => new(new CommitmentRefusal("unknown-kind", "kind",
        $"未知的承诺类型“{kind}”。", $"Unknown commitment kind '{kind}'.", CommitmentRefusalKind.Invalid));
}
