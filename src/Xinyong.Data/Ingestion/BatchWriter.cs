using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Xinyong.Core.Subjects;
using Xinyong.Data.Database;

namespace Xinyong.Data.Ingestion;

internal sealed record RecordRow(
    string RecordType, string BusinessKey, long DepartmentId, SubjectRef Subject, int Version, string ContentHash,
    string DecisionNumber, DateOnly DecisionDate, string AuthorityName, string? AuthorityCode, decimal? Amount, string SubjectName,
    long SubmissionId, long RowNumber, int LagWorkingDays, ReadOnlyMemory<byte> Data, DateTime ReceivedAt, PreparedRow Source);

internal sealed record RejectRow(long SubmissionId, long RowNumber, string ReasonCode, string Field, string? Value, string ReasonZh, string ReasonEn, string Errors, string Raw);

internal sealed record ExistingRecord
{
    public long Id { get; init; }
    public string BusinessKey { get; init; } = "";
    public string ContentHash { get; init; } = "";
    public int Version { get; init; }
    public long SubmissionId { get; init; }
    public long RowNumber { get; init; }
}

/// <summary>
/// Writes one batch inside the caller's transaction, by the fastest way each database offers for the hot inserts:
/// statements prepared once per batch and bound by position on SQLite, binary COPY on PostgreSQL. The COPY rows are
/// written with the synchronous API: a value only goes to the network when the buffer is full, and awaiting each of
/// the 18 values of a row cost more than encoding them.
/// </summary>
internal sealed class BatchWriter(XinyongDatabase db)
{
    public async Task InsertSubjectsAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<NewSubject> subjects, long submissionId, DateTime now)
    {
        if (subjects.Count == 0) return;
        if (conn is NpgsqlConnection pg)
        {
            if (subjects.Any(s => s.Id == 0)) throw new InvalidOperationException("PostgreSQL: new subjects get their ids when resolved (AssignSubjectIdsAsync).");
            await InsertSubjectsPostgresAsync(pg, tx, subjects, submissionId, now);
            return;
        }

        var sq = (SqliteConnection)conn;
        using var insert = new SqliteStatement(sq,
            "INSERT INTO subjects (kind, uscc, name, name_key, legal_representative, division_code, created_by_submission, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)");
        using var ident = new SqliteStatement(sq, "INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES (?1,?2,?3,'submission')");
        using var name = new SqliteStatement(sq, "INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (?1,?2,?3,1,?4)");
        var nowText = now.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        foreach (var s in subjects)
        {
            var key = s.NameKey;
            insert.Text(1, s.Kind.ToCode());
            insert.Text(2, s.Uscc);
            insert.Text(3, s.Name);
            insert.Text(4, key);
            insert.Text(5, s.LegalRepresentative);
            insert.Text(6, s.DivisionCode);
            insert.Integer(7, submissionId);
            insert.Text(8, nowText);
            insert.Execute();
            s.Id = insert.LastInsertRowId;
            foreach (var (scheme, value) in s.Identifiers)
            {
                ident.Text(1, scheme);
                ident.Text(2, value);
                ident.Integer(3, s.Id);
                ident.Execute();
            }
            name.Integer(1, s.Id);
            name.Text(2, s.Name);
            name.Text(3, key);
            name.Text(4, nowText);
            name.Execute();
        }
    }

    /// <summary>
    /// PostgreSQL: a chunk's new subjects with their identifiers and names, in one statement (one round trip instead of the
    /// six of three COPYs: the resolving stage waits on every round trip while both cores are busy). The statement-level
    /// subject checks of subject_identifiers and subject_names run after the whole statement, when its subjects exist.
    /// </summary>
    private static async Task InsertSubjectsPostgresAsync(NpgsqlConnection pg, DbTransaction tx, IReadOnlyList<NewSubject> subjects, long submissionId, DateTime now)
    {
        var n = subjects.Count;
        var (ids, kinds, usccs, names, keys, representatives, divisions) =
            (new long[n], new string[n], new string?[n], new string[n], new string[n], new string?[n], new string?[n]);
        var (schemes, values, owners) = (new List<string>(n * 3), new List<string>(n * 3), new List<long>(n * 3));
        for (var i = 0; i < n; i++)
        {
            var s = subjects[i];
            (ids[i], kinds[i], usccs[i], names[i], keys[i], representatives[i], divisions[i]) =
                (s.Id, s.Kind.ToCode(), s.Uscc, s.Name, s.NameKey, s.LegalRepresentative, s.DivisionCode);
            foreach (var (scheme, value) in s.Identifiers)
            {
                schemes.Add(scheme);
                values.Add(value);
                owners.Add(s.Id);
            }
        }
        await pg.ExecuteAsync(
            """
            WITH new_subjects AS (
              INSERT INTO subjects (id, kind, uscc, name, name_key, legal_representative, division_code, created_by_submission, created_at, updated_at)
              SELECT id, kind, uscc, name, name_key, legal_representative, division_code, @submissionId, @now, @now
              FROM unnest(@ids, @kinds, @usccs, @names, @keys, @representatives, @divisions)
                AS t(id, kind, uscc, name, name_key, legal_representative, division_code)),
            new_identifiers AS (
              INSERT INTO subject_identifiers (scheme, value, subject_id, source)
              SELECT scheme, value, subject_id, 'submission' FROM unnest(@schemes, @values, @owners) AS t(scheme, value, subject_id))
            INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen)
            SELECT id, name, name_key, TRUE, @now FROM unnest(@ids, @names, @keys) AS t(id, name, name_key)
            """,
            new
            {
                submissionId, now, ids, kinds, usccs, names, keys, representatives, divisions,
                schemes = schemes.ToArray(), values = values.ToArray(), owners = owners.ToArray(),
            }, tx);
    }

    /// <summary>
    /// PostgreSQL: new subjects take their ids from the table's sequence when they are resolved, so that rows of later
    /// chunks can refer to them before the writer has stored them (sequences stand outside transactions).
    /// </summary>
    public static async Task AssignSubjectIdsAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<NewSubject> subjects)
    {
        if (subjects.Count == 0) return;
        var ids = (await conn.QueryAsync<long>(
            "SELECT nextval(pg_get_serial_sequence('subjects', 'id')) FROM generate_series(1, @n)", new { n = subjects.Count }, tx)).ToList();
        for (var i = 0; i < subjects.Count; i++) subjects[i].Id = ids[i];
    }

    /// <summary>
    /// PostgreSQL: the rows in one binary COPY, encoded by <see cref="PgCopyWriter"/> (it fails at the first key already
    /// stored, see IngestSession.CopyRecordsAsync).
    /// </summary>
    public static void CopyRecords(NpgsqlConnection pg, IReadOnlyList<RecordRow> rows)
    {
        if (rows.Count == 0) return;
        using var copy = PgCopyWriter.Begin(pg,
            "COPY records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name, authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at) FROM STDIN (FORMAT BINARY)");
        foreach (var r in rows)
        {
            copy.StartRow(18);
            copy.Text(r.RecordType);
            copy.Text(r.BusinessKey);
            copy.Int8(r.DepartmentId);
            copy.Int8(r.Subject.Id);
            copy.Int4(r.Version);
            copy.Text(r.ContentHash);
            copy.Text(r.DecisionNumber);
            copy.Date(r.DecisionDate);
            copy.Text(r.AuthorityName);
            copy.Text(r.AuthorityCode);
            if (r.Amount is { } a) copy.Numeric(a); else copy.Null();
            copy.Text(r.SubjectName);
            copy.Int8(r.SubmissionId);
            copy.Int8(r.RowNumber);
            copy.Int4(r.LagWorkingDays);
            // A text column (migration 0016): the JSON text's UTF-8 bytes as they are.
            copy.Utf8(r.Data.Span);
            copy.TimestampTz(r.ReceivedAt);
            copy.TimestampTz(r.ReceivedAt);
        }
        copy.Complete();
    }

    /// <summary>
    /// SQLite: inserts the rows whose business key the table does not hold yet and returns them apart from the others,
    /// whose keys are already stored (the unique index is probed by the insert anyway, so no look-up precedes it).
    /// </summary>
    public static (List<RecordRow> Inserted, List<RecordRow> Existing) InsertNewRecords(SqliteConnection conn, IReadOnlyList<RecordRow> rows)
    {
        var inserted = new List<RecordRow>(rows.Count);
        var existing = new List<RecordRow>();
        if (rows.Count == 0) return (inserted, existing);
        using var insert = new SqliteStatement(conn,
            """
            INSERT INTO records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name,
              authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at)
            VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?17)
            ON CONFLICT (record_type, business_key) DO NOTHING
            """);
        string? receivedText = null;
        var receivedAt = default(DateTime);
        foreach (var r in rows)
        {
            if (receivedText is null || r.ReceivedAt != receivedAt)
            {
                receivedAt = r.ReceivedAt;
                receivedText = receivedAt.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            }
            insert.Text(1, r.RecordType);
            insert.Text(2, r.BusinessKey);
            insert.Integer(3, r.DepartmentId);
            insert.Integer(4, r.Subject.Id);
            insert.Integer(5, r.Version);
            insert.Text(6, r.ContentHash);
            insert.Text(7, r.DecisionNumber);
            insert.Date(8, r.DecisionDate);
            insert.Text(9, r.AuthorityName);
            insert.Text(10, r.AuthorityCode);
            insert.Decimal(11, r.Amount);
            insert.Text(12, r.SubjectName);
            insert.Integer(13, r.SubmissionId);
            insert.Integer(14, r.RowNumber);
            insert.Integer(15, r.LagWorkingDays);
            insert.Utf8(16, r.Data.Span);
            insert.Text(17, receivedText);
            insert.Execute();
            (insert.Changes > 0 ? inserted : existing).Add(r);
        }
        return (inserted, existing);
    }

    /// <summary>A changed row: the current version moves to record_history, then the record takes the new content.</summary>
    public async Task SupersedeAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<(ExistingRecord Old, RecordRow New)> changes, DateTime now)
    {
        foreach (var (old, r) in changes)
        {
            // The superseded version is copied inside the database: its content never travels to the client.
            await conn.ExecuteAsync(
                """
                INSERT INTO record_history (record_id, version, content_hash, subject_id, submission_id, row_number, data, received_at, superseded_at, superseded_by_submission)
                SELECT id, version, content_hash, subject_id, submission_id, row_number, data, received_at, @now, @by FROM records WHERE id = @Id
                """,
                new { old.Id, now, by = r.SubmissionId }, tx);
            await conn.ExecuteAsync(
                $"""
                UPDATE records SET version = @version, content_hash = @ContentHash, subject_id = @subjectId, decision_number = @DecisionNumber,
                  decision_date = @DecisionDate, authority_name = @AuthorityName, authority_code = @AuthorityCode, amount = @Amount,
                  subject_name = @SubjectName, submission_id = @SubmissionId, row_number = @RowNumber, lag_working_days = @LagWorkingDays,
                  data = {Json("@Data")}, received_at = @ReceivedAt
                WHERE id = @id
                """,
                new
                {
                    id = old.Id, version = old.Version + 1, r.ContentHash, subjectId = r.Subject.Id, r.DecisionNumber, r.DecisionDate, r.AuthorityName,
                    r.AuthorityCode, r.Amount, r.SubjectName, r.SubmissionId, r.RowNumber, r.LagWorkingDays, Data = Encoding.UTF8.GetString(r.Data.Span), r.ReceivedAt,
                }, tx);
        }
    }

    public static void InsertRejects(DbConnection conn, IReadOnlyList<RejectRow> rows)
    {
        if (rows.Count == 0) return;
        if (conn is NpgsqlConnection pg)
        {
            using var copy = pg.BeginBinaryImport(
                "COPY rejected_rows (submission_id, row_number, reason_code, field, value, reason_zh, reason_en, errors, raw) FROM STDIN (FORMAT BINARY)");
            foreach (var r in rows)
            {
                copy.StartRow();
                copy.Write(r.SubmissionId, NpgsqlDbType.Bigint);
                copy.Write(r.RowNumber, NpgsqlDbType.Bigint);
                copy.Write(r.ReasonCode, NpgsqlDbType.Text);
                copy.Write(r.Field, NpgsqlDbType.Text);
                WriteNullable(copy, r.Value);
                copy.Write(r.ReasonZh, NpgsqlDbType.Text);
                copy.Write(r.ReasonEn, NpgsqlDbType.Text);
                copy.Write(r.Errors, NpgsqlDbType.Text);
                copy.Write(r.Raw, NpgsqlDbType.Text);
            }
            copy.Complete();
            return;
        }
        using var insert = new SqliteStatement((SqliteConnection)conn,
            "INSERT INTO rejected_rows (submission_id, row_number, reason_code, field, value, reason_zh, reason_en, errors, raw) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
        foreach (var r in rows)
        {
            insert.Integer(1, r.SubmissionId);
            insert.Integer(2, r.RowNumber);
            insert.Text(3, r.ReasonCode);
            insert.Text(4, r.Field);
            insert.Text(5, r.Value);
            insert.Text(6, r.ReasonZh);
            insert.Text(7, r.ReasonEn);
            insert.Text(8, r.Errors);
            insert.Text(9, r.Raw);
            insert.Execute();
        }
    }

    public async Task AddIdentifiersAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<(string Scheme, string Value, long SubjectId)> identifiers)
    {
        foreach (var (scheme, value, subjectId) in identifiers)
        {
            await conn.ExecuteAsync(
                "INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES (@scheme, @value, @subjectId, 'submission') ON CONFLICT (scheme, value) DO NOTHING",
                new { scheme, value, subjectId }, tx);
        }
    }

    public async Task ConvertCodesAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<(long SubjectId, string Uscc)> conversions, DateTime now)
    {
        foreach (var (id, uscc) in conversions)
        {
            await conn.ExecuteAsync("UPDATE subjects SET uscc = @uscc, updated_at = @now WHERE id = @id AND uscc IS NULL", new { id, uscc, now }, tx);
        }
    }

    private string Json(string parameter) => db.IsSqlite ? parameter : $"CAST({parameter} AS json)";

    private static void WriteNullable(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value, NpgsqlDbType.Text);
    }
}
