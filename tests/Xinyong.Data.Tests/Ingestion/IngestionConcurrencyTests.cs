using Dapper;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Tests.Infrastructure;
using static Xinyong.Data.Tests.Ingestion.IngestTesting;

namespace Xinyong.Data.Tests.Ingestion;

/// <summary>
/// Each row decided once when chunks, batches and runs meet: stored keys met after new rows of the same chunk, the
/// per-type versioning lock, the subject lock, and two runs at once.
/// </summary>
public sealed class IngestionConcurrencyTests
{
    [Theory, DatabaseProviders]
    public async Task IngestFile_StoredKeyAfterNewRowsOfAChunk_EachRowDecidedOnce(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var runner = NewRunner(p, batchSize: 3);
        var first = await IngestAsync(p, dept, new PenaltyFile()
            .Add(PenaltyFile.Row("甲", Codes[0], "文号1", fine: "0.5"))
            .Add(PenaltyFile.Row("乙", Codes[1], "文号2", fine: "0.5"))
            .WriteCsv(dir.Path, name: "first.csv"), runner: runner);
        first.Accepted.ShouldBe(2);
        if (provider == "postgres")
        {
            // New keys only: PostgreSQL copied them without looking them up first.
            runner.StageTimes.Snapshot().Select(s => s.Stage).ShouldNotContain(IngestStageTimes.ExistingLookups);
        }

        // Chunks of three: two new rows before a stored key, then only new rows, then a changed row. On PostgreSQL the
        // first chunk's copy fails at the stored key and is undone before its new rows are copied again.
        var second = await IngestAsync(p, dept, new PenaltyFile()
            .Add(PenaltyFile.Row("丙", Codes[2], "文号3"))
            .Add(PenaltyFile.Row("丁", Codes[3], "文号4"))
            .Add(PenaltyFile.Row("甲", Codes[0], "文号1", fine: "0.5"))
            .Add(PenaltyFile.Row("戊", Codes[4], "文号5"))
            .Add(PenaltyFile.Row("己", Codes[5], "文号6"))
            .Add(PenaltyFile.Row("庚", Codes[6], "文号7"))
            .Add(PenaltyFile.Row("乙", Codes[1], "文号2", fine: "0.9"))
            .WriteCsv(dir.Path, name: "second.csv"), runner: runner);

        (second.Read, second.Accepted, second.Unchanged, second.NewVersions, second.Rejected).ShouldBe((7L, 5L, 1L, 1L, 0L));
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(7);
        (await p.ScalarAsync("SELECT COUNT(*) FROM records WHERE submission_id = @id", new { id = second.SubmissionId })).ShouldBe(6);
        (await p.ScalarAsync("SELECT COUNT(*) FROM record_history")).ShouldBe(1);
    }

    [Fact]
    public void VersionLockKey_IsTheSameInEveryProcess()
    {
        // Literals: a key computed from string.GetHashCode would differ from one process to the next.
        IngestionRunner.VersionLockKey("penalty").ShouldBe(773603222);
        IngestionRunner.VersionLockKey("licence").ShouldBe(672618036);
    }

    [PostgresFact]
    public async Task IngestFile_Postgres_StoredKeysAreDecidedUnderTheTypesLock()
    {
        var (p, dept) = await StartAsync("postgres");
        await using var _ = p;
        using var dir = new TempDir();
        var path = new PenaltyFile().Add(PenaltyFile.Row("甲", Codes[0], "文号1")).WriteCsv(dir.Path, name: "first.csv");
        await IngestAsync(p, dept, path);

        // Another session holds the penalty type's lock: a file whose key is stored must wait for it.
        var again = await WhileLockedAsync(p, "SELECT pg_advisory_xact_lock(7202, @k)", new { k = IngestionRunner.VersionLockKey("penalty") },
            () => IngestAsync(p, dept, new PenaltyFile().Add(PenaltyFile.Row("甲", Codes[0], "文号1", fine: "0.9")).WriteCsv(dir.Path, name: "second.csv")));
        again.NewVersions.ShouldBe(1);
    }

    /// <summary>Holds an advisory lock in another session, starts <paramref name="start"/>, checks that it waits, then lets it go.</summary>
    private static async Task<T> WhileLockedAsync<T>(TestPlatform p, string lockSql, object? args, Func<Task<T>> start)
    {
        await using var holder = await p.Db.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync(lockSql, args, tx);
        var run = start();
        (await Task.WhenAny(run, Task.Delay(1500))).ShouldNotBe(run);
        await tx.CommitAsync();
        return await run;
    }

    [PostgresFact]
    public async Task IngestFile_Postgres_NewSubjectsAreCreatedUnderTheSubjectLock()
    {
        var (p, dept) = await StartAsync("postgres");
        await using var _ = p;
        using var dir = new TempDir();

        // Another session holds the lock under which every ingest creates subjects: a file with a new code must wait.
        var run = await WhileLockedAsync(p, "SELECT pg_advisory_xact_lock(7203)", null,
            () => IngestAsync(p, dept, new PenaltyFile().Add(PenaltyFile.Row("甲", Codes[0], "文号1")).WriteCsv(dir.Path, name: "new.csv")));
        run.SubjectsCreated.ShouldBe(1);
    }

    [PostgresFact]
    public async Task IngestFile_Postgres_TwoRunsAtOnceCreateEachNewSubjectOnce()
    {
        var (p, dept) = await StartAsync("postgres");
        await using var _ = p;
        using var dir = new TempDir();
        // Two files naming the same five unknown codes, ingested at the same time by two runners (two processes, say).
        var files = new[] { "a", "b" }.Select(tag =>
        {
            var file = new PenaltyFile();
            for (var i = 1; i <= 5; i++) file.Add(PenaltyFile.Row("主体" + i, Codes[i], $"{tag}-文号{i}"));
            return file.WriteCsv(dir.Path, name: tag + ".csv");
        }).ToList();
        var runs = await Task.WhenAll(files.Select(f => IngestAsync(p, dept, f, runner: NewRunner(p, batchSize: 2))));

        runs.Select(r => r.Accepted).ShouldBe([5L, 5L]);
        runs.Sum(r => r.SubjectsCreated).ShouldBe(5);
        await using var conn = await p.Db.OpenAsync();
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subjects WHERE uscc = ANY(@codes)", new { codes = Codes.Skip(1).Take(5).ToArray() })).ShouldBe(5);
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT subject_id) FROM records")).ShouldBe(5);
    }
}
