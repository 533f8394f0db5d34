using Dapper;

namespace Xinyong.Data.Database;

/// <summary>
/// Applies the versioned SQL scripts of the configured provider (Migrations/Sqlite, Migrations/Postgres) in order,
/// each in its own transaction, recording each in schema_version.
/// </summary>
public static class Migrator
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(XinyongDatabase db, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        if (db.IsSqlite)
        {
            await conn.ExecuteAsync("PRAGMA journal_mode = WAL;");
        }
        await conn.ExecuteAsync(db.IsSqlite
            ? "CREATE TABLE IF NOT EXISTS schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            : "CREATE TABLE IF NOT EXISTS schema_version (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)");
        if (!db.IsSqlite)
        {
            // Two processes starting together must not both migrate.
            await conn.ExecuteAsync("SELECT pg_advisory_lock(7201)");
        }
        try
        {
            var applied = (await conn.QueryAsync<string>("SELECT version FROM schema_version")).ToHashSet(StringComparer.Ordinal);
            var done = new List<string>();
            foreach (var (version, sql) in Scripts(db.Provider))
            {
                if (applied.Contains(version)) continue;
                await using var tx = await conn.BeginTransactionAsync(ct);
                await conn.ExecuteAsync(sql, transaction: tx);
                await conn.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@version, @at)",
                    new { version, at = DateTime.UtcNow }, tx);
                await tx.CommitAsync(ct);
                done.Add(version);
            }
            return done;
        }
        finally
        {
            if (!db.IsSqlite) await conn.ExecuteAsync("SELECT pg_advisory_unlock(7201)");
        }
    }

    private static IEnumerable<(string Version, string Sql)> Scripts(DatabaseProvider provider)
    {
        var asm = typeof(Migrator).Assembly;
        var prefix = $"Xinyong.Data.Migrations.{provider}.";
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            using var r = new StreamReader(s);
            yield return (name[prefix.Length..^4], r.ReadToEnd());
        }
    }
}
