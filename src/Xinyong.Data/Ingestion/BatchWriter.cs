using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Xinyong.Core.Subjects;
using Xinyong.Core.Normalization;
using Xinyong.Data.Database;

namespace Xinyong.Data.Ingestion;

internal sealed record RecordRow(
    string RecordType, string BusinessKey, long DepartmentId, SubjectRef Subject, int Version, string ContentHash,
    string DecisionNumber, DateOnly DecisionDate, string AuthorityName, string? AuthorityCode, decimal? Amount, string SubjectName,
    long SubmissionId, long RowNumber, int LagWorkingDays, string Data, DateTime ReceivedAt);

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
/// reused prepared statements on SQLite, binary COPY on PostgreSQL.
/// </summary>
internal sealed class BatchWriter(XinyongDatabase db)
{
    public async Task InsertSubjectsAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<NewSubject> subjects, long submissionId, DateTime now)
    {
        if (subjects.Count == 0) return;
        if (conn is NpgsqlConnection pg)
        {
            var ids = (await conn.QueryAsync<long>(
                "SELECT nextval(pg_get_serial_sequence('subjects', 'id')) FROM generate_series(1, @n)", new { n = subjects.Count }, tx)).ToList();
            for (var i = 0; i < subjects.Count; i++) subjects[i].Id = ids[i];
            await using (var copy = await pg.BeginBinaryImportAsync(
                "COPY subjects (id, kind, uscc, name, name_key, legal_representative, division_code, created_by_submission, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var s in subjects)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(s.Id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(s.Kind.ToCode(), NpgsqlDbType.Text);
                    await WriteNullable(copy, s.Uscc);
                    await copy.WriteAsync(s.Name, NpgsqlDbType.Text);
                    await copy.WriteAsync(ChineseText.NameKey(s.Name), NpgsqlDbType.Text);
                    await WriteNullable(copy, s.LegalRepresentative);
                    await WriteNullable(copy, s.DivisionCode);
                    await copy.WriteAsync(submissionId, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
                await copy.CompleteAsync();
            }
            await using (var copy = await pg.BeginBinaryImportAsync("COPY subject_identifiers (scheme, value, subject_id, source) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var s in subjects)
                {
                    foreach (var (scheme, value) in s.Identifiers)
                    {
                        await copy.WriteRowAsync(default, scheme, value, s.Id, "submission");
                    }
                }
                await copy.CompleteAsync();
            }
            await using (var copy = await pg.BeginBinaryImportAsync("COPY subject_names (subject_id, name, name_key, is_current, first_seen) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var s in subjects)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(s.Id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(s.Name, NpgsqlDbType.Text);
                    await copy.WriteAsync(ChineseText.NameKey(s.Name), NpgsqlDbType.Text);
                    await copy.WriteAsync(true, NpgsqlDbType.Boolean);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
                await copy.CompleteAsync();
            }
            return;
        }

        var sq = (SqliteConnection)conn;
        using var insert = Prepare(sq, tx,
            "INSERT INTO subjects (kind, uscc, name, name_key, legal_representative, division_code, created_by_submission, created_at, updated_at) VALUES ($p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p8) RETURNING id", 8);
        using var ident = Prepare(sq, tx, "INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ($p1,$p2,$p3,'submission')", 3);
        using var name = Prepare(sq, tx, "INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES ($p1,$p2,$p3,1,$p4)", 4);
        var nowText = now.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        foreach (var s in subjects)
        {
            var key = ChineseText.NameKey(s.Name);
            Set(insert, s.Kind.ToCode(), s.Uscc, s.Name, key, s.LegalRepresentative, s.DivisionCode, submissionId, nowText);
            s.Id = (long)(await insert.ExecuteScalarAsync())!;
            foreach (var (scheme, value) in s.Identifiers)
            {
                Set(ident, scheme, value, s.Id);
                await ident.ExecuteNonQueryAsync();
            }
            Set(name, s.Id, s.Name, key, nowText);
            await name.ExecuteNonQueryAsync();
        }
    }

    public async Task InsertRecordsAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<RecordRow> rows)
    {
        if (rows.Count == 0) return;
        if (conn is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync(
                "COPY records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name, authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at) FROM STDIN (FORMAT BINARY)");
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.RecordType, NpgsqlDbType.Text);
                await copy.WriteAsync(r.BusinessKey, NpgsqlDbType.Text);
                await copy.WriteAsync(r.DepartmentId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Subject.Id, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Version, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.ContentHash, NpgsqlDbType.Text);
                await copy.WriteAsync(r.DecisionNumber, NpgsqlDbType.Text);
                await copy.WriteAsync(r.DecisionDate, NpgsqlDbType.Date);
                await copy.WriteAsync(r.AuthorityName, NpgsqlDbType.Text);
                await WriteNullable(copy, r.AuthorityCode);
                if (r.Amount is { } a) await copy.WriteAsync(a, NpgsqlDbType.Numeric); else await copy.WriteNullAsync();
                await copy.WriteAsync(r.SubjectName, NpgsqlDbType.Text);
                await copy.WriteAsync(r.SubmissionId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.RowNumber, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.LagWorkingDays, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Data, NpgsqlDbType.Jsonb);
                await copy.WriteAsync(r.ReceivedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.ReceivedAt, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
            return;
        }

        var sq = (SqliteConnection)conn;
        using var cmd = Prepare(sq, tx,
            "INSERT INTO records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name, authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at) VALUES ($p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p9,$p10,$p11,$p12,$p13,$p14,$p15,$p16,$p17,$p17)", 17);
        foreach (var r in rows)
        {
            Set(cmd, r.RecordType, r.BusinessKey, r.DepartmentId, r.Subject.Id, r.Version, r.ContentHash, r.DecisionNumber,
                r.DecisionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.AuthorityName, r.AuthorityCode, r.Amount, r.SubjectName,
                r.SubmissionId, r.RowNumber, r.LagWorkingDays, r.Data, r.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
            await cmd.ExecuteNonQueryAsync();
        }
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
                    r.AuthorityCode, r.Amount, r.SubjectName, r.SubmissionId, r.RowNumber, r.LagWorkingDays, r.Data, r.ReceivedAt,
                }, tx);
        }
    }

    public async Task InsertRejectsAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<RejectRow> rows)
    {
        if (rows.Count == 0) return;
        if (conn is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync(
                "COPY rejected_rows (submission_id, row_number, reason_code, field, value, reason_zh, reason_en, errors, raw) FROM STDIN (FORMAT BINARY)");
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.SubmissionId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.RowNumber, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.ReasonCode, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Field, NpgsqlDbType.Text);
                await WriteNullable(copy, r.Value);
                await copy.WriteAsync(r.ReasonZh, NpgsqlDbType.Text);
                await copy.WriteAsync(r.ReasonEn, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Errors, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Raw, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
            return;
        }
        var sq = (SqliteConnection)conn;
        using var cmd = Prepare(sq, tx, "INSERT INTO rejected_rows (submission_id, row_number, reason_code, field, value, reason_zh, reason_en, errors, raw) VALUES ($p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p9)", 9);
        foreach (var r in rows)
        {
            Set(cmd, r.SubmissionId, r.RowNumber, r.ReasonCode, r.Field, r.Value, r.ReasonZh, r.ReasonEn, r.Errors, r.Raw);
            await cmd.ExecuteNonQueryAsync();
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

    private string Json(string parameter) => db.IsSqlite ? parameter : $"CAST({parameter} AS jsonb)";

    private static async Task WriteNullable(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) await copy.WriteNullAsync();
        else await copy.WriteAsync(value, NpgsqlDbType.Text);
    }

    private static SqliteCommand Prepare(SqliteConnection conn, DbTransaction tx, string sql, int parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = (SqliteTransaction)tx;
        cmd.CommandText = sql;
        for (var i = 1; i <= parameters; i++) cmd.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        cmd.Prepare();
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
