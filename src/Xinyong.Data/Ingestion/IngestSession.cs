using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;
using Npgsql;
using Xinyong.Data.Database;

namespace Xinyong.Data.Ingestion;

/// <summary>A chunk tied to its subjects: the candidates for storage and what the chunk decided about subjects.</summary>
internal sealed record ResolvedChunk(Chunk Source, List<RecordRow> Candidates, ResolvedSubjects Subjects);

/// <summary>
/// The writing side of one ingest run: ties each chunk's rows to their subjects, decides per row whether it is new,
/// unchanged, a new version or a duplicate within the file, and writes the outcome inside the open batch transaction.
/// The counts accumulate until the batch is committed together with its checkpoint.
/// </summary>
internal sealed class IngestSession(XinyongDatabase db, Submission submission, RecordType type, TimeProvider clock, IngestStageTimes times)
{
    private readonly SubjectResolver _resolver = new(db, type);
    private readonly BatchWriter _writer = new(db);
    private readonly int _number = type.IndexOf(type.DecisionNumber);
    private readonly int _authName = type.IndexOf(type.Authority.Name);
    private readonly int _authCode = type.IndexOf(type.Authority.Code);
    private readonly int _name = type.IndexOf(type.Subject.Name);
    // The first row of each business key in the chunk being resolved: one dictionary for the run, emptied after each
    // chunk (chunks are resolved one after the other).
    private readonly Dictionary<string, ValidatedRow> _firstInChunk = new(StringComparer.Ordinal);
    private long _rows, _accepted, _unchanged, _versions, _rejected, _created, _late;

    public WarningTally Warnings { get; } = new();

    public XinyongDatabase Database => db;

    /// <summary>
    /// PostgreSQL: the lock under which subjects are looked up and created, one for every ingest whatever its type (a
    /// penalty file and a licence file may name the same new enterprise), held by the resolving stage's transaction of
    /// one chunk from its look-up to the commit of its new subjects. Two runs never create the same subject twice.
    /// </summary>
    public const string SubjectLock = "SELECT 1 FROM pg_advisory_xact_lock(7203)";

    /// <summary>Starts a batch: a transaction.</summary>
    public async Task<DbTransaction> BeginAsync(DbConnection conn, CancellationToken ct)
    {
        _versionsLocked = false;
        _savepointHeld = false;
        return await conn.BeginTransactionAsync(ct);
    }

    /// <summary>
    /// PostgreSQL: the lock under which stored keys are looked up and new versions decided and written, one per record
    /// type, held until the batch commits; taken only by a batch that looks keys up. New keys need no lock: the unique
    /// index makes a second run copying the same key wait for the first and then fail, and that run then looks the key
    /// up under this lock. The key is a fixed function of the type's code, the same in every process (string hash
    /// codes are not: .NET randomises them per process, and the lock did not keep two processes apart before).
    /// </summary>
    private async Task LockVersionsAsync(DbConnection conn, DbTransaction tx)
    {
        if (_versionsLocked) return;
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(7202, @k)", new { k = IngestionRunner.VersionLockKey(type.Code) }, tx);
        _versionsLocked = true;
    }

    private bool _versionsLocked;

    /// <summary>
    /// Ties a chunk's valid rows to their subjects (looking up in the database what the cache does not hold) and
    /// decides which rows are candidates for storage; a business key named twice in the chunk is a duplicate of its first
    /// row. On PostgreSQL this runs on a connection of its own, ahead of the writer, in a transaction of its own per chunk
    /// that holds the subject lock (<see cref="SubjectLock"/>): the chunk's new subjects take their ids from the sequence and
    /// are stored and committed here, before the writer copies the records that refer to them. On SQLite it runs inside
    /// the batch's transaction on the writer's connection, and the writer stores the subjects.
    /// </summary>
    public async Task<ResolvedChunk> ResolveAsync(DbConnection conn, DbTransaction tx, Chunk chunk, DateTime received)
    {
        var rows = chunk.Rows;
        var t = Stopwatch.GetTimestamp();
        var lists = _resolver.StartBatch();
        // PostgreSQL: the subject lock is taken in the look-up's round trip (the resolving stage waits on each round trip
        // while both cores are busy, so the chunk's statements are as few as can be).
        await _resolver.PrefetchAsync(conn, tx, rows, db.IsSqlite ? null : SubjectLock);
        t = times.Add(IngestStageTimes.IdentifierLookups, t);

        var candidates = new List<RecordRow>(rows.Count);
        var firstInChunk = _firstInChunk;
        var keyField = type.DecisionNumber;
        foreach (var p in rows)
        {
            var row = p.Row;
            if (!row.IsValid) continue;
            if (_resolver.Resolve(p) is not { } subject) continue;
            if (firstInChunk.TryGetValue(row.BusinessKey, out var first))
            {
                row.Errors.Add(Messages.DuplicateInFile(keyField, row.Values[_number], first.RowNumber, first.ContentHash == row.ContentHash));
                continue;
            }
            firstInChunk[row.BusinessKey] = row;
            var v = row.Values;
            candidates.Add(new RecordRow(type.Code, row.BusinessKey, submission.DepartmentId, subject, 1, row.ContentHash, v[_number]!, row.DecisionDate,
                v[_authName]!, v[_authCode], p.Amount, v[_name]!, submission.Id, row.RowNumber, p.LagWorkingDays, p.Data, received, p));
        }
        firstInChunk.Clear();
        t = times.Add(IngestStageTimes.Resolution, t);
        if (!db.IsSqlite)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await BatchWriter.AssignSubjectIdsAsync(conn, tx, lists.NewSubjects);
            await WriteSubjectsAsync(conn, tx, lists, now);
            _resolver.CommitBatch();
            times.Add(IngestStageTimes.SubjectWrites, t);
        }
        return new ResolvedChunk(chunk, candidates, lists);
    }

    /// <summary>
    /// Writes a resolved chunk inside the batch's transaction: new subjects, then each candidate as a new record, as
    /// unchanged, as a new version or as a duplicate of an earlier row of the file, then the rejected rows.
    /// </summary>
    public async Task WriteAsync(DbConnection conn, DbTransaction tx, ResolvedChunk resolved)
    {
        var rows = resolved.Source.Rows;
        if (rows.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var t = Stopwatch.GetTimestamp();
        var subjects = resolved.Subjects;
        if (db.IsSqlite)
        {
            await WriteSubjectsAsync(conn, tx, subjects, now);
            // SQLite's subjects have their ids from the inserts just done: they join the cache now.
            _resolver.CommitBatch();
            t = times.Add(IngestStageTimes.SubjectWrites, t);
        }

        var candidates = resolved.Candidates;
        List<RecordRow> inserted, existingKeys;
        Dictionary<string, ExistingRecord> existing;
        if (db.IsSqlite)
        {
            // The unique index is probed by the insert anyway: insert first, look up only the keys it refused.
            (inserted, existingKeys) = BatchWriter.InsertNewRecords((Microsoft.Data.Sqlite.SqliteConnection)conn, candidates);
            t = times.Add(IngestStageTimes.RecordInserts, t);
            existing = await LoadExistingAsync(conn, tx, existingKeys.Select(c => c.BusinessKey).ToList());
        }
        else
        {
            (inserted, existingKeys, existing) = await CopyRecordsAsync((NpgsqlConnection)conn, (NpgsqlTransaction)tx, candidates);
            t = Stopwatch.GetTimestamp();
        }

        // Rows whose key is already stored: a duplicate of an earlier row of this file, unchanged, or a new version.
        var keyField = type.DecisionNumber;
        var changes = new List<(ExistingRecord, RecordRow)>();
        foreach (var r in existingKeys)
        {
            var row = r.Source.Row;
            var old = existing[r.BusinessKey];
            if (old.SubmissionId == submission.Id && old.RowNumber != row.RowNumber)
            {
                row.Errors.Add(Messages.DuplicateInFile(keyField, row.Values[_number], old.RowNumber, old.ContentHash == row.ContentHash));
            }
            else if (old.ContentHash == row.ContentHash) _unchanged++;
            else changes.Add((old, r));
        }
        await _writer.SupersedeAsync(conn, tx, changes, now);
        if (existingKeys.Count > 0) t = times.Add(IngestStageTimes.ExistingLookups, t);

        foreach (var p in rows)
        {
            if (!p.Row.HasWarnings) continue;
            foreach (var w in p.Row.Warnings) Warnings.Add(w, p.Row.RowNumber);
        }
        var rejects = rows.Where(p => !p.Row.IsValid).Select(p => ToReject(submission.Id, p.Row)).ToList();
        BatchWriter.InsertRejects(conn, rejects);
        times.Add(IngestStageTimes.Rejects, t);

        _rows += rows.Count;
        _accepted += inserted.Count;
        _versions += changes.Count;
        _rejected += rejects.Count;
        _created += subjects.NewSubjects.Count;
        _late += inserted.Count(r => r.LagWorkingDays > type.PublicationDeadlineWorkingDays) + changes.Count(c => c.Item2.LagWorkingDays > type.PublicationDeadlineWorkingDays);
    }

    private async Task WriteSubjectsAsync(DbConnection conn, DbTransaction tx, ResolvedSubjects subjects, DateTime now)
    {
        await _writer.InsertSubjectsAsync(conn, tx, subjects.NewSubjects, submission.Id, now);
        await _writer.ConvertCodesAsync(conn, tx, subjects.CodeConversions, now);
        await _writer.AddIdentifiersAsync(conn, tx, subjects.NewIdentifiersForExisting);
    }

    /// <summary>
    /// PostgreSQL: copies the chunk's new records. While the previous chunk found none of its keys stored, the whole chunk
    /// is copied under a savepoint without looking its keys up first: the unique index is probed by the copy anyway, and
    /// a fresh load pays for no look-up. Should a key be stored already (a file sent again, a row repeated from an earlier
    /// chunk, another ingest of the same type in between), the copy fails at that row, the savepoint undoes it, and the
    /// chunk goes the careful way: its keys are looked up under the batch's lock and only the new rows are copied. The
    /// next chunk then starts the careful way, and goes back to copying first once a chunk finds no key stored.
    /// </summary>
    private async Task<(List<RecordRow> Inserted, List<RecordRow> Existing, Dictionary<string, ExistingRecord> Stored)> CopyRecordsAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, List<RecordRow> candidates)
    {
        if (candidates.Count == 0) return ([], [], []);
        var t = Stopwatch.GetTimestamp();
        if (_copyFirst)
        {
            // The savepoint of the batch's previous chunk is released in the same round trip (the commit releases the last).
            await conn.ExecuteAsync(_savepointHeld ? $"RELEASE SAVEPOINT {CopySavepoint}; SAVEPOINT {CopySavepoint}" : $"SAVEPOINT {CopySavepoint}", transaction: tx);
            _savepointHeld = true;
            try
            {
                BatchWriter.CopyRecords(conn, candidates);
                times.Add(IngestStageTimes.RecordInserts, t);
                return (candidates, [], []);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.TableName == "records")
            {
                await tx.RollbackAsync(CopySavepoint);
                t = times.Add(IngestStageTimes.RecordInserts, t);
            }
        }
        await LockVersionsAsync(conn, tx);
        var stored = await LoadExistingAsync(conn, tx, candidates.Select(c => c.BusinessKey).ToList());
        _copyFirst = stored.Count == 0;
        var (inserted, existing) = (new List<RecordRow>(candidates.Count), new List<RecordRow>());
        foreach (var c in candidates) (stored.ContainsKey(c.BusinessKey) ? existing : inserted).Add(c);
        t = times.Add(IngestStageTimes.ExistingLookups, t);
        BatchWriter.CopyRecords(conn, inserted);
        times.Add(IngestStageTimes.RecordInserts, t);
        return (inserted, existing, stored);
    }

    private const string CopySavepoint = "copy_records";
    private bool _copyFirst = true;

    // A copy savepoint of this batch's transaction is open (released with the next one, or by the commit).
    private bool _savepointHeld;

    /// <summary>Writes the batch's counts and checkpoint (rows done) in its transaction and commits it.</summary>
    public async Task CommitAsync(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        await conn.ExecuteAsync(
            """
            UPDATE submissions SET rows_done = rows_done + @n, rows_read = rows_read + @n, accepted = accepted + @accepted, unchanged = unchanged + @unchanged,
              new_versions = new_versions + @versions, rejected = rejected + @rejected, subjects_created = subjects_created + @created, late = late + @late,
              file_issues = @issues
            WHERE id = @id
            """,
            new
            {
                id = submission.Id, n = _rows, accepted = _accepted, unchanged = _unchanged, versions = _versions,
                rejected = _rejected, created = _created, late = _late, issues = JsonSerializer.Serialize(Warnings.ToIssues(), IngestionRunner.StoredJson),
            }, tx);
        await tx.CommitAsync(ct);
        _rows = _accepted = _unchanged = _versions = _rejected = _created = _late = 0;
    }

    private async Task<Dictionary<string, ExistingRecord>> LoadExistingAsync(DbConnection conn, DbTransaction tx, List<string> keys)
    {
        var result = new Dictionary<string, ExistingRecord>(StringComparer.Ordinal);
        if (keys.Count == 0) return result;
        var sql = $"SELECT id, business_key, content_hash, version, submission_id, row_number FROM records WHERE record_type = @recordType AND business_key {db.InList("keys")}";
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(10_000))
        {
            foreach (var r in await conn.QueryAsync<ExistingRecord>(sql, new { recordType = type.Code, keys = db.ListParam(chunk) }, tx))
            {
                result[r.BusinessKey] = r;
            }
        }
        return result;
    }

    private static RejectRow ToReject(long submissionId, ValidatedRow row)
    {
        var first = row.Errors[0];
        var errors = JsonSerializer.Serialize(row.Errors, IngestionRunner.StoredJson);
        var raw = JsonSerializer.Serialize(row.Raw.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value), IngestionRunner.StoredJson);
        return new RejectRow(submissionId, row.RowNumber, first.Code, first.Field, first.Value, first.MessageZh, first.MessageEn, errors, raw);
    }
}
