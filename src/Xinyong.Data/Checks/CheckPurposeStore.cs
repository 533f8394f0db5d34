using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Checks;
using Xinyong.Core.Lists;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Checks;

/// <summary>A stored version of a purpose: the parsed rules and who made the version.</summary>
public sealed record StoredPurpose(CheckPurpose Purpose, string CreatedBy, DateTime CreatedAt, string? Note);

/// <summary>
/// Check purposes as versioned data. The shipped definitions (check-purposes.json) become version 1 the first time the
/// store is used; every edit by the credit office adds a version (never overwrites), is validated by
/// <see cref="CheckPurposes.Parse"/> and audited. Old versions stay readable so old runs can be re-run and explained.
/// </summary>
public sealed class CheckPurposeStore(XinyongDatabase db, ListTypeCatalogue listTypes, AuditLog audit, TimeProvider clock)
{
    private volatile bool _seeded;

    private sealed record Row
    {
        public string Id { get; init; } = "";
        public long Version { get; init; }
        public string Definition { get; init; } = "";
        public string CreatedBy { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public string? Note { get; init; }
    }

    private const string Columns = "id, version, definition, created_by, created_at, note";

    /// <summary>The latest version of every purpose.</summary>
    public async Task<IReadOnlyList<StoredPurpose>> ListCurrentAsync(CancellationToken ct = default)
    {
        await EnsureDefaultsAsync(ct);
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<Row>(
            $"SELECT {Columns} FROM check_purposes p WHERE version = (SELECT MAX(version) FROM check_purposes q WHERE q.id = p.id) ORDER BY id");
        return rows.Select(ToStored).ToList();
    }

    /// <summary>The latest version of <paramref name="id"/>, or null.</summary>
    public async Task<StoredPurpose?> CurrentAsync(string id, CancellationToken ct = default)
    {
        await EnsureDefaultsAsync(ct);
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM check_purposes WHERE id = @id ORDER BY version DESC LIMIT 1", new { id });
        return row is null ? null : ToStored(row);
    }

    /// <summary>One version of <paramref name="id"/> (to re-run or explain an old check), or null.</summary>
    public async Task<StoredPurpose?> GetAsync(string id, int version, CancellationToken ct = default)
    {
        await EnsureDefaultsAsync(ct);
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM check_purposes WHERE id = @id AND version = @version", new { id, version });
        return row is null ? null : ToStored(row);
    }

    /// <summary>Every version of <paramref name="id"/>, newest first.</summary>
    public async Task<IReadOnlyList<StoredPurpose>> HistoryAsync(string id, CancellationToken ct = default)
    {
        await EnsureDefaultsAsync(ct);
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<Row>($"SELECT {Columns} FROM check_purposes WHERE id = @id ORDER BY version DESC", new { id })).Select(ToStored).ToList();
    }

    /// <summary>
    /// Stores <paramref name="json"/> as the next version of the purpose it names (a new purpose starts at 1). Throws
    /// <see cref="CheckPurposeException"/> for an invalid definition. An unchanged definition adds no version.
    /// </summary>
    public async Task<StoredPurpose> SaveAsync(string json, string? note, Actor actor, CancellationToken ct = default)
    {
        await EnsureDefaultsAsync(ct);
        var parsed = CheckPurposes.Parse(json, 0, listTypes);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var latest = await conn.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM check_purposes WHERE id = @Id ORDER BY version DESC LIMIT 1", new { parsed.Id }, tx);
        if (latest is not null && CheckPurposes.Parse(latest.Definition, (int)latest.Version, listTypes).Hash == parsed.Hash)
        {
            await tx.RollbackAsync(ct);
            return ToStored(latest);
        }
        var version = (int)(latest?.Version ?? 0) + 1;
        var now = clock.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync(
            "INSERT INTO check_purposes (id, version, definition, hash, note, created_by, created_at) VALUES (@Id, @version, @Definition, @Hash, @note, @by, @now)",
            new { parsed.Id, version, parsed.Definition, parsed.Hash, note, by = actor.ToString(), now }, tx);
        await audit.WriteAsync(actor, "check-purpose.save", "check_purpose", $"{parsed.Id}@{version}", new { parsed.Hash, note, rules = parsed.Rules.Count }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return new StoredPurpose(parsed with { Version = version }, actor.ToString(), now, note);
    }

    /// <summary>Version 1 of every shipped purpose that the database does not know yet (idempotent).</summary>
    public async Task EnsureDefaultsAsync(CancellationToken ct = default)
    {
        if (_seeded) return;
        await using var conn = await db.OpenAsync(ct);
        foreach (var json in CheckPurposes.DefaultDefinitions())
        {
            var p = CheckPurposes.Parse(json, 1, listTypes);
            await conn.ExecuteAsync(
                "INSERT INTO check_purposes (id, version, definition, hash, note, created_by, created_at) VALUES (@Id, 1, @Definition, @Hash, @note, 'system', @now) ON CONFLICT (id, version) DO NOTHING",
                new { p.Id, p.Definition, p.Hash, note = "shipped with the platform (check-purposes.json)", now = clock.GetUtcNow().UtcDateTime });
        }
        _seeded = true;
    }

    private StoredPurpose ToStored(Row r) => new(CheckPurposes.Parse(r.Definition, (int)r.Version, listTypes), r.CreatedBy, r.CreatedAt, r.Note);
}
