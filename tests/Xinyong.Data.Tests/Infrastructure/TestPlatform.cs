using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xinyong.Data.Database;
using Xinyong.Data.Platform;

namespace Xinyong.Data.Tests.Infrastructure;

/// <summary>
/// A fresh platform database per test: a temporary SQLite file, or a new PostgreSQL database on the server named by
/// XINYONG_TEST_POSTGRES (dropped afterwards). Tests share no state and can run in any order.
/// </summary>
public sealed class TestPlatform : IAsyncDisposable
{
    public const string PostgresVariable = "XINYONG_TEST_POSTGRES";

    private readonly string? _sqlitePath;
    private readonly string? _pgDatabase;
    private readonly string? _pgAdmin;

    private TestPlatform(ServiceProvider services, FakeClock clock, string provider, string? sqlitePath, string? pgDatabase, string? pgAdmin)
    {
        Services = services;
        Clock = clock;
        Provider = provider;
        _sqlitePath = sqlitePath;
        _pgDatabase = pgDatabase;
        _pgAdmin = pgAdmin;
    }

    public ServiceProvider Services { get; }
    public FakeClock Clock { get; }
    public string Provider { get; }
    public XinyongDatabase Db => Services.GetRequiredService<XinyongDatabase>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Configuration entries for a provider's fresh database (used by web tests too).</summary>
    public static async Task<(Dictionary<string, string?> Settings, string? SqlitePath, string? PgDatabase, string? PgAdmin)> CreateDatabaseAsync(
        string provider, int postgresPoolSize = 20)
    {
        if (provider == "sqlite")
        {
            var path = Path.Combine(Path.GetTempPath(), $"xinyong-test-{Guid.NewGuid():N}.db");
            return (new() { ["Database:Provider"] = "sqlite", ["Database:ConnectionString"] = $"Data Source={path}" }, path, null, null);
        }
        var admin = Environment.GetEnvironmentVariable(PostgresVariable)
                    ?? throw new InvalidOperationException($"{PostgresVariable} is not set: start PostgreSQL with scripts/postgres.sh start");
        var name = $"xy_test_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await conn.ExecuteAsync($"CREATE DATABASE {name}");
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = postgresPoolSize }.ToString();
        return (new() { ["Database:Provider"] = "postgres", ["Database:ConnectionString"] = cs }, null, name, admin);
    }

    public static async Task DropDatabaseAsync(string? sqlitePath, string? pgDatabase, string? pgAdmin)
    {
        if (sqlitePath is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { sqlitePath, sqlitePath + "-wal", sqlitePath + "-shm" })
            {
                if (File.Exists(f)) File.Delete(f);
            }
        }
        if (pgDatabase is not null && pgAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(pgAdmin);
            await conn.OpenAsync();
            await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {pgDatabase} WITH (FORCE)");
        }
    }

    /// <param name="postgresPoolSize">Physical connections the PostgreSQL pool may open (1: every command runs on one server process).</param>
    public static async Task<TestPlatform> CreateAsync(string provider, DateTimeOffset? now = null, int postgresPoolSize = 20)
    {
        var (settings, sqlitePath, pgDatabase, pgAdmin) = await CreateDatabaseAsync(provider, postgresPoolSize);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var clock = new FakeClock(now ?? new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)));
        var services = new ServiceCollection().AddXinyongData(configuration).AddSingleton<TimeProvider>(clock).BuildServiceProvider();
        var platform = new TestPlatform(services, clock, provider, sqlitePath, pgDatabase, pgAdmin);
        await services.GetRequiredService<PlatformSetup>().InitializeAsync();
        return platform;
    }

    public async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var conn = await Db.OpenAsync();
        return await conn.ExecuteScalarAsync<long>(sql, args);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await DropDatabaseAsync(_sqlitePath, _pgDatabase, _pgAdmin);
    }
}

/// <summary>A settable clock (tests never read the real time).</summary>
public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public void Advance(TimeSpan by) => Now += by;
}
