using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;
using Xinyong.Data.Database;

namespace Xinyong.Data.Ingestion;

/// <summary>
/// The writing side of one ingest run: ties each chunk's rows to their subjects, decides per row whether it is new,
/// unchanged, a new version or a duplicate within the file, and writes the outcome inside the open batch transaction.
/// The counts accumulate until the batch is committed together with its checkpoint.
/// </summary>
internal sealed class IngestSession(XinyongDatabase db, Submission submission, RecordType type, TimeProvider clock, IngestWriterTimes times)
{
    private readonly SubjectResolver _resolver = new(db, type);
    private readonly BatchWriter _writer = new(db);
    private readonly int _number = type.IndexOf(type.DecisionNumber);
    private readonly int _authName = type.IndexOf(type.Authority.Name);
    private readonly int _authCode = type.IndexOf(type.Authority.Code);
    private readonly int _name = type.IndexOf(type.Subject.Name);
    private long _rows, _accepted, _unchanged, _versions, _rejected, _created, _late;

    public WarningTally Warnings { get; } = new();

    /// <summary>Starts a batch: a transaction, on PostgreSQL with the lock under which subjects and versions are decided.</summary>
    public async Task<DbTransaction> BeginAsync(DbConnection conn, CancellationToken ct)
    {
        var tx = await conn.BeginTransactionAsync(ct);
        if (!db.IsSqlite)
        {
            // Subject creation and record versioning are decided and written under one lock per record type.
            await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(7202, @k)", new { k = type.Code.GetHashCode(StringComparison.Ordinal) & 0x7fffffff }, tx);
        }
        return tx;
    }

    public async Task ProcessAsync(DbConnection conn, DbTransaction tx, List<PreparedRow> chunk, DateTime received)
    {
        if (chunk.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var t = Stopwatch.GetTimestamp();
        _resolver.StartBatch();
        await _resolver.PrefetchAsync(conn, tx, chunk.Where(p => p.Row.IsValid));
        t = times.Add(IngestWriterTimes.IdentifierLookups, t);

        // Each valid row tied to its subject; a business key named twice in the chunk is a duplicate of the first row.
        var candidates = new List<RecordRow>(chunk.Count);
        var firstInChunk = new Dictionary<string, ValidatedRow>(StringComparer.Ordinal);
        var keyField = type.DecisionNumber;
        foreach (var p in chunk)
        {
            var row = p.Row;
            foreach (var w in row.Warnings) Warnings.Add(w, row.RowNumber);
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
        t = times.Add(IngestWriterTimes.Resolution, t);

        await _writer.InsertSubjectsAsync(conn, tx, _resolver.NewSubjects, submission.Id, now);
        await _writer.ConvertCodesAsync(conn, tx, _resolver.CodeConversions, now);
        await _writer.AddIdentifiersAsync(conn, tx, _resolver.NewIdentifiersForExisting);
        t = times.Add(IngestWriterTimes.SubjectWrites, t);

        // SQLite inserts first and looks up only the keys the table already holds (the unique index is probed by the
        // insert anyway); PostgreSQL looks every key up first and copies the new rows in one COPY.
        List<RecordRow> inserted, existingKeys;
        Dictionary<string, ExistingRecord> existing;
        if (db.IsSqlite)
        {
            (inserted, existingKeys) = BatchWriter.InsertNewRecords((Microsoft.Data.Sqlite.SqliteConnection)conn, candidates);
            t = times.Add(IngestWriterTimes.RecordInserts, t);
            existing = await LoadExistingAsync(conn, tx, existingKeys.Select(c => c.BusinessKey).ToList());
        }
        else
        {
            existing = await LoadExistingAsync(conn, tx, candidates.Select(c => c.BusinessKey).ToList());
            (inserted, existingKeys) = ([], []);
            foreach (var c in candidates) (existing.ContainsKey(c.BusinessKey) ? existingKeys : inserted).Add(c);
            t = times.Add(IngestWriterTimes.ExistingLookups, t);
            BatchWriter.CopyRecords((Npgsql.NpgsqlConnection)conn, inserted);
            t = times.Add(IngestWriterTimes.RecordInserts, t);
        }

        // Rows whose key is already stored: a duplicate of an earlier row of this file, unchanged, or a new version.
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
        t = times.Add(IngestWriterTimes.ExistingLookups, t);

        var rejects = chunk.Where(p => !p.Row.IsValid).Select(p => ToReject(submission.Id, p.Row)).ToList();
        BatchWriter.InsertRejects(conn, rejects);
        // The subjects are written in this transaction: later chunks of the batch find them in the cache. Should the
        // batch fail, the run stops and the resolver with its cache is dropped.
        _resolver.CommitBatch();
        times.Add(IngestWriterTimes.Rejects, t);

        _rows += chunk.Count;
        _accepted += inserted.Count;
        _versions += changes.Count;
        _rejected += rejects.Count;
        _created += _resolver.NewSubjects.Count;
        _late += inserted.Count(r => r.LagWorkingDays > type.PublicationDeadlineWorkingDays) + changes.Count(c => c.Item2.LagWorkingDays > type.PublicationDeadlineWorkingDays);
    }

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
