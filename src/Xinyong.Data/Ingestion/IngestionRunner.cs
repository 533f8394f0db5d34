using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Calendar;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Ingestion;

public sealed record IngestProgress(long RowsDone, double Fraction);

public sealed record IngestSummary(
    long SubmissionId, string Status, long Read, long Accepted, long Unchanged, long NewVersions, long Rejected,
    long SubjectsCreated, long Late, bool Resumed, IReadOnlyList<FileIssue> Issues, string? ErrorZh, string? ErrorEn)
{
    public bool Processed => Status == SubmissionStatus.Completed;

    public static IngestSummary From(Submission s, bool resumed) => new(
        s.Id, s.Status, s.RowsRead, s.Accepted, s.Unchanged, s.NewVersions, s.Rejected, s.SubjectsCreated, s.Late, resumed, s.Issues(), s.ErrorZh, s.ErrorEn);
}

/// <summary>
/// Collection (归集): streams a department's file, validates each row against the catalogue, ties it to its subject
/// and stores it exactly once with its provenance. Work is committed in batches together with a checkpoint, so a
/// run that is killed resumes where it stopped and ends with the same database as one clean run.
/// </summary>
public sealed class IngestionRunner(
    XinyongDatabase db, SubmissionStore submissions, AuditLog audit, RecordCatalogue catalogue, WorkingDayCalendar calendar, TimeProvider clock)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// Rows per committed batch, the unit that is committed together with the checkpoint a resumed run starts from;
    /// null picks the measured best per provider (SQLite 50,000, PostgreSQL 2,000).
    /// </summary>
    public int? BatchSize { get; init; }

    public int EffectiveBatchSize => BatchSize ?? (db.IsSqlite ? 50_000 : 2000);

    /// <summary>Page cache of the SQLite ingest connection, in KiB.</summary>
    public const int SqliteIngestCacheKib = 64 * 1024;

    /// <summary>
    /// Rows resolved and written together inside a batch (one look-up of subjects and existing records per chunk), and
    /// handed from the reading thread to the writing one; null picks the measured best per provider (SQLite 500,
    /// PostgreSQL 2,000). Small chunks keep few rows alive between the two threads, so fewer survive a garbage
    /// collection: SQLite at 1M rows, 500 against 2,000 halved the GC pauses (12 → 6 s) and the peak memory (396 →
    /// 246 MB) in the same time or less. PostgreSQL pays a subject look-up query per chunk, and at 100k–250k rows chunks
    /// of 500 took it from 7–15 s to 19–22 s (docs/benchmarks.md, "Ingest").
    /// </summary>
    public int? ChunkRows { get; init; }

    public int EffectiveChunkRows => Math.Min(EffectiveBatchSize, ChunkRows ?? (db.IsSqlite ? 500 : 2000));

    /// <summary>Where the ingest's stages (resolving, writing) spent their time, over every run of this runner.</summary>
    public IngestStageTimes StageTimes { get; } = new();

    /// <summary>Test hook: called after each committed batch (e.g. to simulate a crash mid-import).</summary>
    public Action<long>? AfterBatchCommitted { get; init; }

    /// <summary>Creates (or finds the interrupted) submission for a file and processes it.</summary>
    public async Task<IngestSummary> IngestFileAsync(string path, string fileName, long departmentId, string recordType, string channel, Actor actor,
        IProgress<IngestProgress>? progress = null, CancellationToken ct = default)
    {
        var submission = await RegisterAsync(path, fileName, departmentId, recordType, channel, storedPath: null, actor, ct);
        return await RunAsync(submission.Id, path, progress, ct);
    }

    /// <summary>Registers a file as a submission; an unfinished submission of the same file is returned instead.</summary>
    public async Task<Submission> RegisterAsync(string path, string fileName, long departmentId, string recordType, string channel,
        string? storedPath, Actor actor, CancellationToken ct = default)
    {
        var (sha, size) = await HashFileAsync(path, ct);
        return await submissions.FindResumableAsync(departmentId, recordType, sha, ct)
               ?? await submissions.CreateAsync(departmentId, recordType, channel, fileName, sha, size, storedPath, actor, ct);
    }

    public async Task<IngestSummary> RunAsync(long submissionId, string path, IProgress<IngestProgress>? progress = null, CancellationToken ct = default)
    {
        var submission = await submissions.GetAsync(submissionId, ct) ?? throw new InvalidOperationException($"Submission {submissionId} does not exist.");
        if (submission.IsFinished) return IngestSummary.From(submission, resumed: false);
        var resumed = submission.Status == SubmissionStatus.Processing;
        if (!catalogue.TryGet(submission.RecordType, out var type))
        {
            await submissions.MarkFailedAsync(submissionId, $"未知的数据类型“{submission.RecordType}”", $"Unknown record type '{submission.RecordType}'", [], ct);
            return IngestSummary.From((await submissions.GetAsync(submissionId, ct))!, resumed);
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        ITableReader reader;
        HeaderMapping mapping;
        try
        {
            reader = TableSources.Open(file, submission.FileName);
            mapping = HeaderMapping.Map(type, reader.Header);
        }
        catch (SourceFormatException ex)
        {
            await submissions.MarkFailedAsync(submissionId, ex.MessageZh, ex.MessageEn, [], ct);
            return IngestSummary.From((await submissions.GetAsync(submissionId, ct))!, resumed);
        }
        using var _ = reader;
        if (!mapping.IsUsable)
        {
            var fatal = mapping.Issues.First(i => i.Fatal);
            await submissions.MarkFailedAsync(submissionId, fatal.MessageZh, fatal.MessageEn, mapping.Issues, ct);
            return IngestSummary.From((await submissions.GetAsync(submissionId, ct))!, resumed);
        }

        var received = submission.ReceivedAt;
        var receivedDay = DateOnly.FromDateTime(received + ChinaOffset);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime + ChinaOffset);
        var validator = new RowValidator(type, mapping, reader.Header, today);
        var session = new IngestSession(db, submission, type, clock, StageTimes);

        await using (var conn = await db.OpenAsync(ct))
        {
            await conn.ExecuteAsync("UPDATE submissions SET status = 'processing', started_at = COALESCE(started_at, @now) WHERE id = @id",
                new { id = submissionId, now = clock.GetUtcNow().UtcDateTime });
        }

        // Reading and validation run on one thread, writing on another; chunks are handed over one at a time, so that each
        // stage holds at most one. On PostgreSQL a third stage between the two ties the rows to their subjects on a
        // connection of its own (look-ups, new subjects stored and committed), so that the database does that work while
        // the writer's copy of the previous chunk's records is processed, instead of one after the other on one connection.
        var batchSize = EffectiveBatchSize;
        var chunkSize = EffectiveChunkRows;
        var channel = new HandOff<Chunk>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = new RowProducer(reader, file, validator, type, calendar, receivedDay);
        var reading = Task.Run(async () =>
        {
            try
            {
                await producer.RunAsync(channel, submission.RowsDone, batchSize, chunkSize, stop.Token);
            }
            finally
            {
                channel.Complete();
            }
        }, CancellationToken.None);
        var toWriter = channel;
        var resolving = Task.CompletedTask;
        if (!db.IsSqlite)
        {
            var resolved = new HandOff<Chunk>();
            toWriter = resolved;
            resolving = Task.Run(() => ResolveAheadAsync(session, channel, resolved, received, stop.Token), CancellationToken.None);
        }

        long consumed = 0;
        SourceFormatException? failure = null;
        try
        {
            await using var conn = await db.OpenAsync(ct);
            var restore = await PrepareConnectionAsync(conn);
            await using var checkpoints = new BackgroundCheckpoints(db);
            DbTransaction? tx = null;
            try
            {
                var idle = Stopwatch.GetTimestamp();
                await foreach (var chunk in toWriter.ReceiveAllAsync(ct))
                {
                    StageTimes.Add(IngestStageTimes.WaitingForRows, idle);
                    if (chunk.Failure is not null)
                    {
                        // As when the file breaks mid-batch in a single pass: the unfinished batch is not kept.
                        failure = chunk.Failure;
                        break;
                    }
                    if (tx is null)
                    {
                        await checkpoints.BeforeBatchAsync();
                        tx = await session.BeginAsync(conn, ct);
                    }
                    var resolvedChunk = chunk.Resolved ?? await session.ResolveAsync(conn, tx, chunk, received);
                    await session.WriteAsync(conn, tx, resolvedChunk);
                    chunk.Json?.Release();
                    idle = Stopwatch.GetTimestamp();
                    if (!chunk.EndsBatch) continue;
                    await session.CommitAsync(conn, tx, ct);
                    idle = StageTimes.Add(IngestStageTimes.Commits, idle);
                    await tx.DisposeAsync();
                    tx = null;
                    checkpoints.AfterCommit();
                    consumed = chunk.ConsumedThrough;
                    AfterBatchCommitted?.Invoke(consumed);
                    progress?.Report(new IngestProgress(consumed, chunk.Fraction));
                    idle = Stopwatch.GetTimestamp();
                }
            }
            finally
            {
                if (tx is not null) await tx.DisposeAsync();
                await restore();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await StoppedAsync(reading, stop);
            await StoppedAsync(resolving, stop);
        }
        if (failure is not null)
        {
            await submissions.MarkFailedAsync(submissionId, failure.MessageZh, failure.MessageEn, mapping.Issues, ct);
            return IngestSummary.From((await submissions.GetAsync(submissionId, ct))!, resumed);
        }

        var issues = mapping.Issues.Concat(session.Warnings.ToIssues()).ToList();
        await using (var conn = await db.OpenAsync(ct))
        {
            // Warnings of rows committed before an interruption are not re-read on resume: keep the earlier tally too.
            var previous = JsonSerializer.Deserialize<List<FileIssue>>(
                await conn.ExecuteScalarAsync<string>("SELECT file_issues FROM submissions WHERE id = @submissionId", new { submissionId }) ?? "[]") ?? [];
            issues.AddRange(previous.Where(p => p.Code.StartsWith("rows_", StringComparison.Ordinal) && issues.All(i => i.Code != p.Code)));
            await conn.ExecuteAsync("UPDATE submissions SET status = 'completed', completed_at = @now, file_issues = @issues WHERE id = @submissionId",
                new { submissionId, now = clock.GetUtcNow().UtcDateTime, issues = JsonSerializer.Serialize(issues, StoredJson) });
            if (!db.IsSqlite)
            {
                // PostgreSQL stores a chunk's new subjects ahead of its records' batch; after an interruption the resumed run
                // finds those it stored for batches that were not committed. The count is what the submission created.
                await conn.ExecuteAsync("UPDATE submissions SET subjects_created = (SELECT COUNT(*) FROM subjects WHERE created_by_submission = @submissionId) WHERE id = @submissionId",
                    new { submissionId });
            }
        }
        var done = (await submissions.GetAsync(submissionId, ct))!;
        await audit.WriteAsync(ParseActor(done.Actor, done.DepartmentId), "submission.complete", "submission", submissionId.ToString(CultureInfo.InvariantCulture),
            new { done.RowsRead, done.Accepted, done.Unchanged, done.NewVersions, done.Rejected, done.SubjectsCreated, done.Late }, ct: ct);
        progress?.Report(new IngestProgress(consumed, 1));
        return IngestSummary.From(done, resumed);
    }

    /// <summary>
    /// PostgreSQL's middle stage: resolves each chunk on a connection of its own, one short transaction per chunk under
    /// the subject lock, stores its new subjects, and passes it on to the writer. A chunk that reports the file broken is passed on as it is, and nothing after it.
    /// </summary>
    private static async Task ResolveAheadAsync(IngestSession session, HandOff<Chunk> input, HandOff<Chunk> output, DateTime received, CancellationToken ct)
    {
        try
        {
            await using var conn = await session.Database.OpenAsync(ct);
            await foreach (var chunk in input.ReceiveAllAsync(ct))
            {
                if (chunk.Failure is null)
                {
                    await using var tx = await conn.BeginTransactionAsync(ct);
                    chunk.Resolved = await session.ResolveAsync(conn, tx, chunk, received);
                    await tx.CommitAsync(ct);
                }
                await output.SendAsync(chunk, ct);
                if (chunk.Failure is not null) break;
            }
            output.Complete();
        }
        catch (Exception ex)
        {
            // The writer stops at once and the run fails with this error; the batch it had open is not committed.
            output.Complete(ex);
            throw;
        }
    }

    /// <summary>Waits for a stage to end after the run stopped it; its being cancelled is not an error.</summary>
    private static async Task StoppedAsync(Task stage, CancellationTokenSource stop)
    {
        try
        {
            await stage;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// SQLite: the ingest connection gets a page cache large enough for the hot index pages of a large table, so that
    /// a batch rewrites each index page once instead of reading it back; its previous size is restored (and the memory
    /// released) before the connection returns to the pool. It also leaves the write-ahead log to
    /// <see cref="BackgroundCheckpoints"/> (wal_autocheckpoint = 0) instead of copying it into the database inside the
    /// commit of a batch.
    /// </summary>
    private async Task<Func<Task>> PrepareConnectionAsync(DbConnection conn)
    {
        if (!db.IsSqlite) return () => Task.CompletedTask;
        var previous = await conn.ExecuteScalarAsync<long>("PRAGMA cache_size");
        var autoCheckpoint = await conn.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint");
        await conn.ExecuteAsync($"PRAGMA cache_size = -{SqliteIngestCacheKib}; PRAGMA wal_autocheckpoint = 0;");
        return async () => await conn.ExecuteAsync($"PRAGMA cache_size = {previous}; PRAGMA wal_autocheckpoint = {autoCheckpoint}; PRAGMA shrink_memory;");
    }

    /// <summary>
    /// SQLite: after each committed batch, the write-ahead log is copied into the database file (a passive checkpoint) on
    /// a connection of its own while the writer goes on with the next batch. Done inside the commit, as SQLite's automatic
    /// checkpoint does it, this was a quarter of the writer's time at 1M rows (batch commits 13–14 of 49–53 s).
    /// SQLite starts the log again from its beginning only when a write finds every frame copied, which never happens
    /// while a checkpoint runs beside the writer; so before every <see cref="RestartEvery"/>th batch the writer waits
    /// until the batches so far are copied, and the log stays at a few batches whatever the size of the file.
    /// A checkpoint that cannot copy everything (a reader still on older pages) loses nothing: the log keeps the pages.
    /// </summary>
    private sealed class BackgroundCheckpoints(XinyongDatabase db) : IAsyncDisposable
    {
        private const int RestartEvery = 4;

        private Task _running = Task.CompletedTask;
        private int _committed;
        private int _covered;
        private int _sinceRestart;

        public void AfterCommit()
        {
            if (!db.IsSqlite) return;
            _committed++;
            _sinceRestart++;
            if (_running.IsCompleted) _running = Task.Run(CheckpointAsync);
        }

        public async Task BeforeBatchAsync()
        {
            if (!db.IsSqlite || _sinceRestart < RestartEvery) return;
            await CopiedAsync();
            _sinceRestart = 0;
        }

        /// <summary>Returns once every committed batch is copied into the database file.</summary>
        private async Task CopiedAsync()
        {
            await _running;
            if (_covered < _committed) await CheckpointAsync();
        }

        private async Task CheckpointAsync()
        {
            var through = _committed;
            await using var conn = await db.OpenAsync();
            await conn.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)");
            _covered = through;
        }

        public async ValueTask DisposeAsync()
        {
            if (db.IsSqlite) await CopiedAsync();
        }
    }

    /// <summary>
    /// The PostgreSQL advisory lock key of a record type's versioning (with class 7202): FNV-1a of the code's UTF-8 bytes
    /// as a non-negative 32-bit integer, the same in every process.
    /// </summary>
    public static int VersionLockKey(string recordType)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(recordType))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash & 0x7fffffff);
    }

    /// <summary>Stored JSON keeps Chinese text readable (the rejects are read by people and exported).</summary>
    internal static readonly JsonSerializerOptions StoredJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Actor ParseActor(string text, long departmentId)
    {
        var i = text.IndexOf(':', StringComparison.Ordinal);
        var kind = i < 0 ? "system" : text[..i];
        var name = i < 0 ? text : text[(i + 1)..];
        return new Actor(kind switch { "user" => ActorKind.User, "token" => ActorKind.ApiToken, "cli" => ActorKind.Cli, _ => ActorKind.System }, name, departmentId);
    }

    public static Task<(string Sha256, long Size)> HashFileAsync(string path, CancellationToken ct = default) => ResumableFile.FingerprintAsync(path, ct);
}
