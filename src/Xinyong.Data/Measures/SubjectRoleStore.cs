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

    /// <summary>
    /// Roles held on <paramref name="on"/> by a person: those recorded (registration data, a department's report) and the
    /// legal representative roles the platform derives from its own records (<see cref="DerivedLegalRepresentativeAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<SubjectRole>> HeldByAsync(long personId, DateOnly on, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var recorded = (await conn.QueryAsync<(long EntityId, long PersonId, string Role)>(
            "SELECT entity_id, person_id, role FROM subject_roles WHERE person_id = @personId AND valid_from <= @on AND (valid_until IS NULL OR valid_until > @on)",
            new { personId, on })).Select(r => new SubjectRole(r.EntityId, r.PersonId, r.Role)).ToList();
        var derived = await DerivedLegalRepresentativeAsync(personId, on, ct);
        return recorded.Concat(derived).Distinct().ToList();
    }

    /// <summary>
    /// Legal representative roles read from the platform's own records, so that a measure reaches a person through the
    /// entity they represent without anyone reporting the role: the person (by the ID number the platform holds for them)
    /// is legal representative of an entity when the entity's latest penalty or licence record that names a
    /// representative gives that ID number (CF_FR_ZJHM / XK_FR_ZJHM). A name alone (CF_FRDB, subjects.legal_representative)
    /// is never enough: many people share a name. Only entities with a listing in force on <paramref name="on"/> are
    /// looked at, as only they can carry a measure to the person.
    /// </summary>
    public async Task<IReadOnlyList<SubjectRole>> DerivedLegalRepresentativeAsync(long personId, DateOnly on, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var ids = (await conn.QueryAsync<string>(
            "SELECT i.value FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.subject_id = @personId AND i.scheme = 'idcard' AND s.kind = 'natural_person'",
            new { personId })).ToList();
        return (await RepresentedAsync(ids, on, ct)).Select(r => new SubjectRole(r.EntityId, personId, SubjectRoles.LegalRepresentative)).Distinct().ToList();
    }

    /// <summary>
    /// A person asked about by ID number who is not yet a subject, but whom the records name as legal representative of
    /// an entity with a listing in force: registered as a natural-person subject (name from the record's CF_FRDB /
    /// XK_FRDB) so the question can be answered and stored; audited. Returns null (nothing written) when no such entity exists.
    /// </summary>
    public async Task<long?> RegisterRepresentativeAsync(string idNumber, DateOnly on, Actor actor, CancellationToken ct = default)
    {
        var represented = await RepresentedAsync([idNumber], on, ct);
        if (represented.Count == 0) return null;
        var source = represented[0];
        var name = string.IsNullOrWhiteSpace(source.Name) ? "法定代表人" : source.Name.Trim();
        var key = Core.Normalization.ChineseText.NameKey(name);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES ('natural_person', NULL, @name, @key, @now, @now) RETURNING id",
            new { name, key, now }, tx);
        await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('idcard', @idNumber, @id, @from)",
            new { idNumber, id, from = $"legal-representative:record:{source.RecordId}" }, tx);
        await conn.ExecuteAsync("INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@id, @name, @key, @yes, @now)",
            new { id, name, key, yes = true, now }, tx);
        await audit.WriteAsync(actor, "subject.create", "subject", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { kind = "natural_person", reason = "legal-representative", entityId = source.EntityId, recordId = source.RecordId }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    private sealed record Represented(long EntityId, long RecordId, string? Name);

    /// <summary>Entities with a listing in force whose latest record naming a legal representative gives one of these ID numbers.</summary>
    private async Task<IReadOnlyList<Represented>> RepresentedAsync(IReadOnlyCollection<string> idNumbers, DateOnly on, CancellationToken ct)
    {
        if (idNumbers.Count == 0) return [];
        var ids = idNumbers.ToHashSet(StringComparer.OrdinalIgnoreCase);
        await using var conn = await db.OpenAsync(ct);
        var representative = $"COALESCE({db.JsonText("r.data", "CF_FR_ZJHM")}, {db.JsonText("r.data", "XK_FR_ZJHM")})";
        var candidates = (await conn.QueryAsync<long>(
            $"""
            SELECT DISTINCT e.subject_id FROM list_entries e JOIN subjects s ON s.id = e.subject_id JOIN records r ON r.subject_id = e.subject_id
            WHERE {Lists.ListEntries.ActivePredicate} AND s.kind <> 'natural_person' AND {representative} {db.InList("ids")}
            """, new { on, ids = db.ListParam(ids) })).ToList();
        var found = new List<Represented>();
        foreach (var entityId in candidates)
        {
            // The latest record decides: a representative replaced since is no longer reached.
            var latest = await conn.QueryFirstOrDefaultAsync<(long Id, string IdNumber, string? Name)>(
                $"""
                SELECT r.id, {representative}, COALESCE({db.JsonText("r.data", "CF_FRDB")}, {db.JsonText("r.data", "XK_FRDB")}) FROM records r
                WHERE r.subject_id = @entityId AND {representative} IS NOT NULL ORDER BY r.decision_date DESC, r.id DESC LIMIT 1
                """, new { entityId });
            if (latest.IdNumber is not null && ids.Contains(latest.IdNumber)) found.Add(new Represented(entityId, latest.Id, latest.Name));
        }
        return found;
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
