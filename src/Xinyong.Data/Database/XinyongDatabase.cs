using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Xinyong.Data.Database;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Database selection by standard configuration: Database:Provider (sqlite|postgres), Database:ConnectionString.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>
    /// The platform's home: Xinyong:Home if configured, else the nearest folder above the working directory that holds
    /// Xinyong.sln (so `dotnet run --project src/Xinyong.Web` and the CLI share ./data), else the working directory.
    /// </summary>
    public static string Home(IConfiguration configuration)
    {
        if (configuration["Xinyong:Home"] is { Length: > 0 } configured) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Xinyong.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    public static DatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        var provider = (configuration["Database:Provider"] ?? "sqlite").Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            var other => throw new InvalidOperationException($"Database:Provider '{other}' is not supported; use 'sqlite' or 'postgres'."),
        };
        var cs = configuration["Database:ConnectionString"];
        if (string.IsNullOrWhiteSpace(cs))
        {
            cs = provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(Home(configuration), "data", "xinyong.db")}"
                : throw new InvalidOperationException("Database:ConnectionString is required for PostgreSQL (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=xinyong).");
        }
        return new DatabaseOptions(provider, cs);
    }
}

/// <summary>
/// The platform's database: opens connections for the configured provider. SQL is written once where the two
/// dialects agree; the few places they differ ask <see cref="Provider"/>.
/// </summary>
public sealed class XinyongDatabase : IDisposable
{
    static XinyongDatabase()
    {
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public XinyongDatabase(DatabaseOptions options)
    {
        Options = options;
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var csb = new SqliteConnectionStringBuilder(options.ConnectionString) { DefaultTimeout = 60 };
            var path = csb.DataSource;
            if (!string.IsNullOrEmpty(path) && path != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            }
            _connectionString = csb.ToString();
            _sqliteReads = new SqliteReadConnections(() => (SqliteConnection)Open());
        }
        else
        {
            var dsb = new NpgsqlDataSourceBuilder(WithAutoPrepare(options.ConnectionString));
            _npgsql = dsb.Build();
            _connectionString = options.ConnectionString;
        }
    }

    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _npgsql;
    private readonly SqliteReadConnections? _sqliteReads;

    /// <summary>
    /// Statements the platform runs again and again (the subject page, search, checks) are prepared on each pooled
    /// connection after a few uses, so PostgreSQL stops planning them per request: on the 10M-record benchmark the
    /// subject page went from 7.9 to 4.7 database CPU-ms (docs/benchmarks.md). An explicit "Max Auto Prepare" in the
    /// configured connection string wins (0 turns it off).
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare")) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    public DatabaseOptions Options { get; }
    public DatabaseProvider Provider => Options.Provider;
    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_npgsql is not null) return await _npgsql.OpenConnectionAsync(ct);
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        // A pooled SQLite connection keeps its native handle, and with it these settings: they are applied once per
        // handle, not on every open (five statements parsed per open were a visible share of the subject page's CPU).
        if (c.Handle is { } handle && !ConfiguredHandles.TryGetValue(handle, out _))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 60000; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;";
            await cmd.ExecuteNonQueryAsync(ct);
            ConfiguredHandles.AddOrUpdate(handle, ConfiguredMarker);
        }
        return c;
    }

    /// <summary>Native SQLite handles that already carry the platform's connection settings (weakly held).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> ConfiguredHandles = new();
    private static readonly object ConfiguredMarker = new();

    public DbConnection Open() => OpenAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Runs a read-only query that is run again and again with other values (a public page's statements) and returns
    /// its reader, with the parameters named as in the text (<c>@subjectId</c>). SQLite runs it on a connection kept
    /// open for such reads, where the statements stay prepared (<see cref="SqliteReadConnections"/>); PostgreSQL on a
    /// pooled connection, whose automatic preparation (<see cref="WithAutoPrepare"/>) does the same there.
    /// </summary>
    public async Task<RepeatedRead> ReadRepeatedAsync(string sql, IReadOnlyList<(string Name, object? Value)> args, CancellationToken ct = default)
    {
        if (_sqliteReads is not null)
        {
            var (reader, release) = _sqliteReads.Execute(sql, args);
            return new RepeatedRead(reader, null, release);
        }
        var conn = await OpenAsync(ct);
        try
        {
            var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, value) in args) cmd.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
            return new RepeatedRead(await cmd.ExecuteReaderAsync(ct), conn, null);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        _sqliteReads?.Dispose();
        _npgsql?.Dispose();
    }

    /// <summary>
    /// A SQL fragment for "the value is in this list parameter". SQLite receives the list as one JSON text parameter
    /// (binding thousands of named parameters costs more than the query); PostgreSQL receives a native array.
    /// </summary>
    public string InList(string parameter) => IsSqlite ? $"IN (SELECT value FROM json_each(@{parameter}))" : $"= ANY(@{parameter})";

    /// <summary>
    /// A SQL expression for the text of a top-level field of a column holding JSON text (records.data and the like; on
    /// PostgreSQL a text column since migration 0016, cast to json here).
    /// </summary>
    public string JsonText(string column, string field) => IsSqlite ? $"json_extract({column}, '$.{field}')" : $"({column}::json ->> '{field}')";

    /// <summary>Parameter value for a list used with <see cref="InList"/>: JSON text for SQLite, an array for PostgreSQL.</summary>
    public object ListParam<T>(IEnumerable<T> values) =>
        IsSqlite ? System.Text.Json.JsonSerializer.Serialize(values) : values as T[] ?? values.ToArray();

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            string s => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new InvalidCastException($"Cannot read {value.GetType()} as a date."),
        };
    }

    /// <summary>All timestamps are UTC: SQLite keeps them as ISO text, PostgreSQL as timestamptz.</summary>
    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            parameter.DbType = DbType.DateTime;
            parameter.Value = value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }

        public override DateTime Parse(object value) => value switch
        {
            DateTime dt => DateTime.SpecifyKind(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt, DateTimeKind.Utc),
            DateTimeOffset dto => dto.UtcDateTime,
            string s => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
            _ => throw new InvalidCastException($"Cannot read {value.GetType()} as a timestamp."),
        };
    }
}
