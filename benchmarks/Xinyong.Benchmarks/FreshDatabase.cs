using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Xinyong.Benchmarks;

/// <summary>
/// A throw-away database per phase, created and dropped the way the test suite does it (TestPlatform): a new SQLite
/// file on local disk, or a new PostgreSQL database on the given server, dropped afterwards.
/// </summary>
public sealed class FreshDatabase : IAsyncDisposable
{
    private FreshDatabase(string provider, string connectionString, string? sqlitePath, string? pgDatabase, string? pgAdmin)
    {
        Provider = provider;
        ConnectionString = connectionString;
        SqlitePath = sqlitePath;
        _pgDatabase = pgDatabase;
        _pgAdmin = pgAdmin;
    }

    private readonly string? _pgDatabase;
    private readonly string? _pgAdmin;

    public string Provider { get; }
    public string ConnectionString { get; }
    public string? SqlitePath { get; }
    public string? PostgresDatabase => _pgDatabase;

    /// <summary>When set, the database is left in place (for inspection with psql or sqlite3).</summary>
    public bool Keep { get; set; }

    /// <summary>Configuration entries for the platform (Database:Provider, Database:ConnectionString).</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = Provider,
        ["Database:ConnectionString"] = ConnectionString,
    };

    public static async Task<FreshDatabase> CreateAsync(string provider, string workDir, string pgAdmin)
    {
        if (provider == "sqlite")
        {
            var path = Path.Combine(workDir, $"xinyong-bench-{Guid.NewGuid():N}.db");
            return new FreshDatabase(provider, $"Data Source={path}", path, null, null);
        }
        var name = $"xy_bench_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(pgAdmin))
        {
            await conn.OpenAsync();
            await conn.ExecuteAsync($"CREATE DATABASE {name}");
        }
        var cs = new NpgsqlConnectionStringBuilder(pgAdmin) { Database = name, Pooling = true, MaxPoolSize = 20 }.ToString();
        return new FreshDatabase(provider, cs, null, name, pgAdmin);
    }

    public async ValueTask DisposeAsync()
    {
        if (Keep)
        {
            Console.WriteLine($"  kept database: {SqlitePath ?? _pgDatabase}");
            return;
        }
        if (SqlitePath is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { SqlitePath, SqlitePath + "-wal", SqlitePath + "-shm", SqlitePath + "-journal" })
            {
                if (File.Exists(f)) File.Delete(f);
            }
        }
        if (_pgDatabase is not null && _pgAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(_pgAdmin);
            await conn.OpenAsync();
            await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)");
        }
    }
}
