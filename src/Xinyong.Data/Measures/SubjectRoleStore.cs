using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Measures;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Measures;

public sealed record SubjectRoleRow
{
    public long Id { get; init; }
    public long EntityId { get; init; }
    public string EntityName { get; init; } = default!;
    public long PersonId { get; init; }
    public string PersonName { get; init; } = default!;
    public string Role { get; init; } = default!;
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public string Source { get; init; } = default!;
}

/// <summary>
/// Who is legal representative, principal or actual controller of which entity (from registration data or a
/// department's report). Only these links let a measure reach a person through an entity's listing.
/// </summary>
public sealed class SubjectRoleStore(XinyongDatabase db, AuditLog audit, TimeProvider clock)
{
    /// <summary>Records a role. Refused for an unknown role, an entity that is a natural person, or a person who is not one.</summary>
    public async Task<long> AddAsync(long entityId, long personId, string role, DateOnly validFrom, string source, Actor actor, CancellationToken ct = default)
    {
        var term = SubjectRoles.Find(role) ?? throw new RefusedException("unknown-role", $"未知的身份“{role}”，应为法定代表人、主要负责人或实际控制人。",
            $"Unknown role '{role}'.", RefusalKind.Invalid);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var kinds = (await conn.QueryAsync<(long Id, string Kind)>("SELECT id, kind FROM subjects WHERE id IN (@entityId, @personId)", new { entityId, personId }, tx))
            .ToDictionary(k => k.Id, k => k.Kind);
        if (!kinds.TryGetValue(entityId, out var ek) || !kinds.TryGetValue(personId, out var pk))
            throw new RefusedException("subject-not-found", "主体不存在。", "No such subject.", RefusalKind.Invalid);
        if (ek == "natural_person")
            throw new RefusedException("entity-required", "任职单位必须是法人、非法人组织或个体工商户。", "The entity must not be a natural person.", RefusalKind.Invalid);
        if (pk != "natural_person")
            throw new RefusedException("person-required", "担任该身份的必须是自然人。", "The role holder must be a natural person.", RefusalKind.Invalid);
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO subject_roles (entity_id, person_id, role, valid_from, valid_until, source, created_by, created_at)
            VALUES (@entityId, @personId, @role, @validFrom, NULL, @source, @by, @at) RETURNING id
            """, new { entityId, personId, role = term.Code, validFrom, source, by = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, "subject_role.add", "subject_role", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { entityId, personId, role = term.Code, validFrom, source }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Roles held on <paramref name="on"/> by the given persons.</summary>
    public async Task<IReadOnlyList<SubjectRole>> HeldByAsync(long personId, DateOnly on, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<(long EntityId, long PersonId, string Role)>(
            "SELECT entity_id, person_id, role FROM subject_roles WHERE person_id = @personId AND valid_from <= @on AND (valid_until IS NULL OR valid_until > @on)",
            new { personId, on })).Select(r => new SubjectRole(r.EntityId, r.PersonId, r.Role)).ToList();
    }

    /// <summary>Every role recorded for a subject, as entity or as person.</summary>
    public async Task<IReadOnlyList<SubjectRoleRow>> ForSubjectAsync(long subjectId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<SubjectRoleRow>(
            """
            SELECT r.id, r.entity_id, e.name AS entity_name, r.person_id, p.name AS person_name, r.role, r.valid_from, r.valid_until, r.source
            FROM subject_roles r JOIN subjects e ON e.id = r.entity_id JOIN subjects p ON p.id = r.person_id
            WHERE r.entity_id = @subjectId OR r.person_id = @subjectId ORDER BY r.id
            """, new { subjectId })).ToList();
    }
}
