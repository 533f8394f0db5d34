using System.Data.Common;
using System.Globalization;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Measures;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Measures;

/// <summary>A lenient rule with the names staff need to read it.</summary>
public sealed record LenientRuleRow(LenientRule Rule, string SubjectName, string SubjectKind, string? ListType, string CreatedBy, DateTime CreatedAt);

/// <summary>
/// Lenient rules set by staff (seed 001: 轻微失信豁免, 不可抗力暂缓惩戒): created and revoked with a legal basis and a
/// reason, audited, and read by the trigger query so that covered punishments are withheld.
/// </summary>
public sealed class LenientRuleStore(XinyongDatabase db, AuditLog audit, TimeProvider clock)
{
    private const string Columns = "r.id, r.kind, r.subject_id, r.list_entry_id, r.legal_basis, r.reason, r.valid_from, r.valid_until, r.revoked_on, r.revoke_reason";

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    public async Task<LenientRule> CreateAsync(LenientRuleDraft draft, Actor actor, CancellationToken ct = default)
    {
        var rule = LenientRule.Create(draft, Today);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var exists = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subjects WHERE id = @SubjectId", new { draft.SubjectId }, tx);
        if (exists == 0) throw new RefusedException("subject-not-found", "主体不存在。", "No such subject.", RefusalKind.Invalid);
        if (draft.ListEntryId is { } entryId)
        {
            var owner = await conn.ExecuteScalarAsync<long?>("SELECT subject_id FROM list_entries WHERE id = @entryId", new { entryId }, tx);
            if (owner is null) throw new RefusedException("list-entry-not-found", $"名单认定 {entryId} 不存在。", $"List entry {entryId} does not exist.", RefusalKind.Invalid);
            if (owner != draft.SubjectId)
                throw new RefusedException("list-entry-other-subject", $"名单认定 {entryId} 不是该主体的。", $"List entry {entryId} belongs to another subject.", RefusalKind.Invalid);
        }
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO lenient_rules (kind, subject_id, list_entry_id, legal_basis, reason, valid_from, valid_until, created_by, created_at)
            VALUES (@Kind, @SubjectId, @ListEntryId, @LegalBasis, @Reason, @ValidFrom, @ValidUntil, @by, @at) RETURNING id
            """, new { rule.Kind, rule.SubjectId, rule.ListEntryId, rule.LegalBasis, rule.Reason, rule.ValidFrom, rule.ValidUntil, by = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
        rule.AssignId(id);
        await audit.WriteAsync(actor, "lenient_rule.create", "lenient_rule", id.ToString(CultureInfo.InvariantCulture),
            new { rule.Kind, rule.SubjectId, rule.ListEntryId, rule.LegalBasis, rule.Reason, rule.ValidFrom, rule.ValidUntil }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return rule;
    }

    public async Task<LenientRule> RevokeAsync(long id, string? reason, Actor actor, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rule = (await LoadAsync(conn, tx, "r.id = @id", new { id })).SingleOrDefault()
                   ?? throw new RefusedException("rule-not-found", $"包容审慎规则 {id} 不存在。", $"Lenient rule {id} does not exist.", RefusalKind.Invalid);
        rule.Revoke(Today, reason);
        var n = await conn.ExecuteAsync("UPDATE lenient_rules SET revoked_on = @RevokedOn, revoke_reason = @RevokeReason WHERE id = @Id AND revoked_on IS NULL",
            new { rule.RevokedOn, rule.RevokeReason, rule.Id }, tx);
        if (n != 1) throw new RefusedException("already-revoked", "该规则已撤销。", "The rule has already been revoked.", RefusalKind.Conflict);
        await audit.WriteAsync(actor, "lenient_rule.revoke", "lenient_rule", id.ToString(CultureInfo.InvariantCulture), new { rule.RevokedOn, rule.RevokeReason }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return rule;
    }

    public async Task<LenientRule?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await LoadAsync(conn, null, "r.id = @id", new { id })).SingleOrDefault();
    }

    /// <summary>Rules on these subjects that could be in effect on <paramref name="on"/> (the matcher checks the period exactly).</summary>
    public async Task<IReadOnlyList<LenientRule>> ForSubjectsAsync(IReadOnlyCollection<long> subjectIds, DateOnly on, CancellationToken ct = default)
    {
        if (subjectIds.Count == 0) return [];
        await using var conn = await db.OpenAsync(ct);
        return await LoadAsync(conn, null,
            $"r.subject_id {db.InList("ids")} AND r.valid_from <= @on AND (r.valid_until IS NULL OR r.valid_until > @on) AND (r.revoked_on IS NULL OR r.revoked_on > @on)",
            new { ids = db.ListParam(subjectIds), on });
    }

    /// <summary>Recent rules for staff, newest first.</summary>
    public async Task<IReadOnlyList<LenientRuleRow>> ListAsync(int limit = 200, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rules = await LoadAsync(conn, null, "r.id IN (SELECT id FROM lenient_rules ORDER BY id DESC LIMIT @limit)", new { limit });
        var info = (await conn.QueryAsync<(long Id, string SubjectName, string SubjectKind, string? ListType, string CreatedBy, DateTime CreatedAt)>(
            """
            SELECT r.id, s.name, s.kind, e.list_type, r.created_by, r.created_at
            FROM lenient_rules r JOIN subjects s ON s.id = r.subject_id LEFT JOIN list_entries e ON e.id = r.list_entry_id
            WHERE r.id IN (SELECT id FROM lenient_rules ORDER BY id DESC LIMIT @limit)
            """, new { limit })).ToDictionary(i => i.Id);
        return rules.OrderByDescending(r => r.Id).Select(r =>
        {
            var i = info[r.Id];
            return new LenientRuleRow(r, i.SubjectName, i.SubjectKind, i.ListType, i.CreatedBy, i.CreatedAt);
        }).ToList();
    }

    // Dapper restores the rule through its private constructor and setters, as it does for ListEntry.
    private static async Task<List<LenientRule>> LoadAsync(DbConnection conn, DbTransaction? tx, string where, object args) =>
        (await conn.QueryAsync<LenientRule>($"SELECT {Columns} FROM lenient_rules r WHERE {where} ORDER BY r.id", args, tx)).ToList();
}
