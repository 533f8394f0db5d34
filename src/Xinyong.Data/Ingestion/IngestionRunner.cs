using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    /// <summary>Rows per committed batch; null picks the measured best per provider (SQLite 5,000, PostgreSQL 2,000).</summary>
    public int? BatchSize { get; init; }

    public int EffectiveBatchSize => BatchSize ?? (db.IsSqlite ? 5000 : 2000);

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
        var resolver = new SubjectResolver(db, type);
        var writer = new BatchWriter(db);
        var warnings = new WarningTally();
        var fields = new RecordFields(type);

        await using (var conn = await db.OpenAsync(ct))
        {
            await conn.ExecuteAsync("UPDATE submissions SET status = 'processing', started_at = COALESCE(started_at, @now) WHERE id = @id",
                new { id = submissionId, now = clock.GetUtcNow().UtcDateTime });
        }

        var skip = submission.RowsDone;
        long consumed = 0;
        var batchSize = EffectiveBatchSize;
        var batch = new List<ValidatedRow>(batchSize);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (SourceFormatException ex)
            {
                await submissions.MarkFailedAsync(submissionId, ex.MessageZh, ex.MessageEn, mapping.Issues, ct);
                return IngestSummary.From((await submissions.GetAsync(submissionId, ct))!, resumed);
            }
            if (more)
            {
                consumed++;
                if (consumed <= skip) continue;
                batch.Add(validator.Validate(reader.RowNumber, reader.Current));
            }
            if (batch.Count >= batchSize || (!more && batch.Count > 0))
            {
                await ProcessBatchAsync(submission, type, fields, batch, resolver, writer, warnings, receivedDay, received, ct);
                AfterBatchCommitted?.Invoke(consumed);
                progress?.Report(new IngestProgress(consumed, file.Length == 0 ? 1 : (double)file.Position / file.Length));
                batch.Clear();
            }
            if (!more) break;
        }

        var issues = mapping.Issues.Concat(warnings.ToIssues()).ToList();
        await using (var conn = await db.OpenAsync(ct))
        {
            // Warnings of rows committed before an interruption are not re-read on resume: keep the earlier tally too.
            var previous = JsonSerializer.Deserialize<List<FileIssue>>(
                await conn.ExecuteScalarAsync<string>("SELECT file_issues FROM submissions WHERE id = @submissionId", new { submissionId }) ?? "[]") ?? [];
            issues.AddRange(previous.Where(p => p.Code.StartsWith("rows_", StringComparison.Ordinal) && issues.All(i => i.Code != p.Code)));
            await conn.ExecuteAsync("UPDATE submissions SET status = 'completed', completed_at = @now, file_issues = @issues WHERE id = @submissionId",
                new { submissionId, now = clock.GetUtcNow().UtcDateTime, issues = JsonSerializer.Serialize(issues, StoredJson) });
        }
        var done = (await submissions.GetAsync(submissionId, ct))!;
        await audit.WriteAsync(ParseActor(done.Actor, done.DepartmentId), "submission.complete", "submission", submissionId.ToString(CultureInfo.InvariantCulture),
            new { done.RowsRead, done.Accepted, done.Unchanged, done.NewVersions, done.Rejected, done.SubjectsCreated, done.Late }, ct: ct);
        progress?.Report(new IngestProgress(consumed, 1));
        return IngestSummary.From(done, resumed);
    }

    private async Task ProcessBatchAsync(Submission submission, RecordType type, RecordFields fields, List<ValidatedRow> batch, SubjectResolver resolver,
        BatchWriter writer, WarningTally warnings, DateOnly receivedDay, DateTime received, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!db.IsSqlite)
        {
            // Subject creation and record versioning are decided and written under one lock per record type.
            await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(7202, @k)", new { k = type.Code.GetHashCode(StringComparison.Ordinal) & 0x7fffffff }, tx);
        }
        resolver.StartBatch();
        var valid = batch.Where(r => r.IsValid).ToList();
        await resolver.PrefetchAsync(conn, tx, valid);

        var refs = new Dictionary<ValidatedRow, SubjectRef>();
        foreach (var row in valid)
        {
            if (resolver.Resolve(row) is { } subject) refs[row] = subject;
        }

        var existing = await LoadExistingAsync(conn, tx, type.Code, refs.Keys.Select(r => r.BusinessKey).Distinct().ToList());
        var inserts = new List<RecordRow>();
        var changes = new List<(ExistingRecord, RecordRow)>();
        var firstInBatch = new Dictionary<string, ValidatedRow>(StringComparer.Ordinal);
        long unchanged = 0, late = 0;
        foreach (var row in batch)
        {
            foreach (var w in row.Warnings) warnings.Add(w, row.RowNumber);
            if (!row.IsValid || !refs.TryGetValue(row, out var subject)) continue;
            var keyField = type.DecisionNumber;
            if (firstInBatch.TryGetValue(row.BusinessKey, out var first))
            {
                row.Errors.Add(Messages.DuplicateInFile(keyField, row.Values[type.IndexOf(keyField)], first.RowNumber, first.ContentHash == row.ContentHash));
                continue;
            }
            firstInBatch[row.BusinessKey] = row;
            if (existing.TryGetValue(row.BusinessKey, out var old) && old.SubmissionId == submission.Id && old.RowNumber != row.RowNumber)
            {
                row.Errors.Add(Messages.DuplicateInFile(keyField, row.Values[type.IndexOf(keyField)], old.RowNumber, old.ContentHash == row.ContentHash));
                continue;
            }
            if (old is not null && old.ContentHash == row.ContentHash)
            {
                unchanged++;
                continue;
            }
            var lag = calendar.WorkingDaysBetween(row.DecisionDate, receivedDay);
            if (lag > type.PublicationDeadlineWorkingDays) late++;
            var record = fields.ToRecord(row, submission, subject, lag, received);
            if (old is null) inserts.Add(record);
            else changes.Add((old, record));
        }

        var rejects = batch.Where(r => !r.IsValid).Select(r => ToReject(submission.Id, r)).ToList();

        await writer.InsertSubjectsAsync(conn, tx, resolver.NewSubjects, submission.Id, now);
        await writer.ConvertCodesAsync(conn, tx, resolver.CodeConversions, now);
        await writer.AddIdentifiersAsync(conn, tx, resolver.NewIdentifiersForExisting);
        await writer.InsertRecordsAsync(conn, tx, inserts);
        await writer.SupersedeAsync(conn, tx, changes, now);
        await writer.InsertRejectsAsync(conn, tx, rejects);
        await conn.ExecuteAsync(
            """
            UPDATE submissions SET rows_done = rows_done + @n, rows_read = rows_read + @n, accepted = accepted + @accepted, unchanged = unchanged + @unchanged,
              new_versions = new_versions + @versions, rejected = rejected + @rejected, subjects_created = subjects_created + @created, late = late + @late,
              file_issues = @issues
            WHERE id = @id
            """,
            new
            {
                id = submission.Id, n = (long)batch.Count, accepted = (long)inserts.Count, unchanged, versions = (long)changes.Count,
                rejected = (long)rejects.Count, created = (long)resolver.NewSubjects.Count, late, issues = JsonSerializer.Serialize(warnings.ToIssues(), StoredJson),
            }, tx);
        await tx.CommitAsync(ct);
        resolver.CommitBatch();
    }

    private async Task<Dictionary<string, ExistingRecord>> LoadExistingAsync(DbConnection conn, DbTransaction tx, string recordType, List<string> keys)
    {
        var result = new Dictionary<string, ExistingRecord>(StringComparer.Ordinal);
        if (keys.Count == 0) return result;
        var sql = $"SELECT id, business_key, content_hash, version, submission_id, row_number FROM records WHERE record_type = @recordType AND business_key {db.InList("keys")}";
        foreach (var chunk in keys.Chunk(10_000))
        {
            foreach (var r in await conn.QueryAsync<ExistingRecord>(sql, new { recordType, keys = db.ListParam(chunk) }, tx))
            {
                result[r.BusinessKey] = r;
            }
        }
        return result;
    }

    /// <summary>Stored JSON keeps Chinese text readable (the rejects are read by people and exported).</summary>
    internal static readonly JsonSerializerOptions StoredJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static RejectRow ToReject(long submissionId, ValidatedRow row)
    {
        var first = row.Errors[0];
        var errors = JsonSerializer.Serialize(row.Errors, StoredJson);
        var raw = JsonSerializer.Serialize(row.Raw.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value), StoredJson);
        return new RejectRow(submissionId, row.RowNumber, first.Code, first.Field, first.Value, first.MessageZh, first.MessageEn, errors, raw);
    }

    private static Actor ParseActor(string text, long departmentId)
    {
        var i = text.IndexOf(':', StringComparison.Ordinal);
        var kind = i < 0 ? "system" : text[..i];
        var name = i < 0 ? text : text[(i + 1)..];
        return new Actor(kind switch { "user" => ActorKind.User, "token" => ActorKind.ApiToken, "cli" => ActorKind.Cli, _ => ActorKind.System }, name, departmentId);
    }

    public static async Task<(string Sha256, long Size)> HashFileAsync(string path, CancellationToken ct = default)
    {
        await using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var hash = await SHA256.HashDataAsync(s, ct);
        return (Convert.ToHexStringLower(hash), s.Length);
    }

    /// <summary>Maps the catalogue's named roles (decision number, date, authority, amount) to record columns.</summary>
    private sealed class RecordFields(RecordType type)
    {
        private readonly int _number = type.IndexOf(type.DecisionNumber);
        private readonly int _authName = type.IndexOf(type.Authority.Name);
        private readonly int _authCode = type.IndexOf(type.Authority.Code);
        private readonly int _amount = type.Amount is null ? -1 : type.IndexOf(type.Amount);
        private readonly int _name = type.IndexOf(type.Subject.Name);

        public RecordRow ToRecord(ValidatedRow row, Submission submission, SubjectRef subject, int lag, DateTime received)
        {
            var v = row.Values;
            decimal? amount = _amount >= 0 && v[_amount] is { } a ? decimal.Parse(a, CultureInfo.InvariantCulture) : null;
            return new RecordRow(type.Code, row.BusinessKey, submission.DepartmentId, subject, 1, row.ContentHash, v[_number]!, row.DecisionDate,
                v[_authName]!, v[_authCode], amount, v[_name]!, submission.Id, row.RowNumber, lag, ToJson(v), received);
        }

        private string ToJson(string?[] values)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i] is { } s) w.WriteString(type.Fields[i].Name, s);
                }
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>Row warnings summarised per kind, with the first few row numbers, for the submission summary.</summary>
    private sealed class WarningTally
    {
        private readonly Dictionary<string, (long Count, List<long> Rows, RowIssue Sample)> _byCode = new(StringComparer.Ordinal);

        public void Add(RowIssue w, long row)
        {
            var key = w.Field + "/" + w.Code;
            if (!_byCode.TryGetValue(key, out var t)) t = (0, [], w);
            if (t.Rows.Count < 10) t.Rows.Add(row);
            _byCode[key] = (t.Count + 1, t.Rows, t.Sample);
        }

        public IEnumerable<FileIssue> ToIssues() => _byCode.Select(kv =>
        {
            var rows = string.Join(", ", kv.Value.Rows);
            return new FileIssue("rows_" + kv.Key, $"{kv.Value.Count} 行提示（如第 {rows} 行）：{kv.Value.Sample.MessageZh}",
                $"{kv.Value.Count} rows warned (e.g. rows {rows}): {kv.Value.Sample.MessageEn}", Fatal: false);
        });
    }
}
