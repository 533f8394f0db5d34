using Dapper;
using Npgsql;
using Shouldly;
using Xinyong.Core.Demo;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Ingestion;

/// <summary>
/// A large file grows the subject tables from nothing while it loads. PostgreSQL plans a prepared statement five times
/// and then keeps a generic plan until the next ANALYZE; a plan made while the tables were small joins subjects by a full
/// scan for every code looked up, which once turned a 1M-row ingest's 10 s of look-ups into 76 s. The ingest's subject
/// look-up is planned with sequential scans off, so whichever plan is kept probes the indexes (SubjectResolver.PostgresLookup).
/// </summary>
public sealed class PostgresLookupPlanTests
{
    [PostgresFact]
    public async Task IngestFile_SubjectTablesGrewSinceLookupsWerePrepared_LookupsStillProbeIndexes()
    {
        // Two server processes, the ingest's writer and its subject look-ups (IngestionRunner.ResolveAheadAsync): whichever
        // of them runs the second file's look-ups has run the first file's too, or plans them afresh on the grown tables.
        await using var p = await TestPlatform.CreateAsync("postgres", postgresPoolSize: 2);
        var dept = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        var runner = IngestTesting.NewRunner(p, batchSize: 200, chunkRows: 200);
        await using (var conn = await p.Db.OpenAsync())
        {
            // No ANALYZE during the test: only the planner's view of the tables' size can keep the look-ups on their indexes.
            await conn.ExecuteAsync("ALTER TABLE subjects SET (autovacuum_enabled = false); ALTER TABLE subject_identifiers SET (autovacuum_enabled = false)");
        }

        using var dir = new TempDir();
        var first = DemoDataGenerator.Generate(new DemoOptions(1500, 4000, Seed: 11, Until: new DateOnly(2026, 11, 19)), Path.Combine(dir.Path, "a"));
        var second = DemoDataGenerator.Generate(new DemoOptions(600, 1200, Seed: 12, Until: new DateOnly(2026, 11, 19)), Path.Combine(dir.Path, "b"));
        var start = await SubjectScansAsync(p);
        var a = await IngestTesting.IngestAsync(p, dept, Penalties(first), runner: runner);
        a.Accepted.ShouldBe(first.Penalties);
        (a.Read / 200).ShouldBeGreaterThanOrEqualTo(7, "the look-up must run often enough for a generic plan");

        await using (var conn = await p.Db.OpenAsync())
        {
            await conn.ExecuteAsync(
                """
                INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at)
                SELECT 'legal', 'T' || g, '测试' || g, '测试' || g, now(), now() FROM generate_series(1, 60000) g;
                INSERT INTO subject_identifiers (scheme, value, subject_id, source)
                SELECT 'uscc', s.uscc, s.id, 'test' FROM subjects s WHERE s.uscc LIKE 'T%';
                """);
        }
        var before = await SubjectScansAsync(p);
        var b = await IngestTesting.IngestAsync(p, dept, Penalties(second), runner: runner);
        var scans = await SubjectScansAsync(p) - before;

        (b.Read, b.Rejected).ShouldBe((second.Penalties, 0L));
        b.SubjectsCreated.ShouldBeGreaterThan(0);
        // A generic plan from the first file scans subjects once per code of every chunk: hundreds of scans here.
        scans.ShouldBeLessThan(10);
        // Planned on the small tables of the first file's start, the look-ups scanned subjects too.
        (before - start).ShouldBeLessThan(10);
    }

    private static string Penalties(DemoSummary summary) => summary.Files.Single(f => f.Contains("penalt", StringComparison.Ordinal));

    /// <summary>
    /// Full scans of subjects so far. Both pooled server processes are held at once and flush their counters first (a
    /// process otherwise reports them up to seconds later).
    /// </summary>
    private static async Task<long> SubjectScansAsync(TestPlatform p)
    {
        await using var one = (NpgsqlConnection)await p.Db.OpenAsync();
        await using var two = (NpgsqlConnection)await p.Db.OpenAsync();
        await one.ExecuteAsync("SELECT pg_stat_force_next_flush()");
        await two.ExecuteAsync("SELECT pg_stat_force_next_flush()");
        return await one.ExecuteScalarAsync<long>("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'subjects'");
    }
}
