using System.Diagnostics;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Xinyong.Core.Publication;

namespace Xinyong.WebBench;

/// <summary>
/// PostgreSQL at raw speed: keys, foreign keys and indexes of the loaded tables are dropped (their definitions kept
/// from the catalog), each table is filled by one binary COPY on a connection of its own (so the server parses the
/// streams in parallel), then keys, indexes and foreign keys are built again exactly as migrated, and VACUUM ANALYZE
/// leaves statistics and the visibility map as a long-running server would have them.
/// </summary>
internal sealed class PostgresBulkLoader(string connectionString) : IBulkLoader
{
    private NpgsqlDataSource _source = null!;
    private NpgsqlConnection _meta = null!;
    private readonly List<NpgsqlConnection> _copyConnections = [];
    private NpgsqlBinaryImporter _subjects = null!, _idents = null!, _names = null!, _records = null!, _publications = null!;
    private List<(string Name, string Table, string Definition, char Type)> _constraints = [];
    private List<(string Name, string Definition)> _indexes = [];

    public async Task BeginAsync(CancellationToken ct)
    {
        _source = NpgsqlDataSource.Create(connectionString);
        _meta = await _source.OpenConnectionAsync(ct);
        var tables = Tables.Loaded;
        _constraints = (await _meta.QueryAsync<(string, string, string, char)>(
            """
            SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.contype IN ('p', 'u', 'f')
              AND (c.conrelid::regclass::text = ANY(@tables) OR (c.contype = 'f' AND c.confrelid::regclass::text = ANY(@tables)))
            """, new { tables })).ToList();
        _indexes = (await _meta.QueryAsync<(string, string)>(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """, new { tables })).ToList();
        foreach (var c in _constraints.Where(c => c.Type == 'f')) await _meta.ExecuteAsync($"ALTER TABLE {c.Table} DROP CONSTRAINT {c.Name}");
        foreach (var c in _constraints.Where(c => c.Type != 'f')) await _meta.ExecuteAsync($"ALTER TABLE {c.Table} DROP CONSTRAINT {c.Name}");
        foreach (var (name, _) in _indexes) await _meta.ExecuteAsync($"DROP INDEX {name}");

        _subjects = await CopyAsync("COPY subjects (id, kind, uscc, name, name_key, legal_representative, division_code, created_by_submission, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
        _idents = await CopyAsync("COPY subject_identifiers (scheme, value, subject_id, source) FROM STDIN (FORMAT BINARY)", ct);
        _names = await CopyAsync("COPY subject_names (subject_id, name, name_key, is_current, first_seen) FROM STDIN (FORMAT BINARY)", ct);
        _records = await CopyAsync("COPY records (id, record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name, authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at) FROM STDIN (FORMAT BINARY)", ct);
        _publications = await CopyAsync("COPY publications (record_id, record_type, subject_id, department_id, subject_kind, decision_date, kinds, published, withheld_reason, grade, grade_source, sector, rule_set, publish_from, repair_from, publish_until, computed_at) FROM STDIN (FORMAT BINARY)", ct);
    }

    private async Task<NpgsqlBinaryImporter> CopyAsync(string sql, CancellationToken ct)
    {
        var conn = await _source.OpenConnectionAsync(ct);
        _copyConnections.Add(conn);
        return await conn.BeginBinaryImportAsync(sql, ct);
    }

    public void AddSubject(SubjectRow s)
    {
        var c = _subjects;
        c.StartRow();
        c.Write(s.Id, NpgsqlDbType.Bigint);
        c.Write(s.Kind, NpgsqlDbType.Text);
        Text(c, s.Uscc);
        c.Write(s.Name, NpgsqlDbType.Text);
        c.Write(s.NameKey, NpgsqlDbType.Text);
        Text(c, s.LegalRepresentative);
        Text(c, s.DivisionCode);
        c.Write(s.CreatedBySubmission, NpgsqlDbType.Bigint);
        c.Write(s.CreatedAt, NpgsqlDbType.TimestampTz);
        c.Write(s.CreatedAt, NpgsqlDbType.TimestampTz);
    }

    public void AddIdentifier(string scheme, string value, long subjectId)
    {
        var c = _idents;
        c.StartRow();
        c.Write(scheme, NpgsqlDbType.Text);
        c.Write(value, NpgsqlDbType.Text);
        c.Write(subjectId, NpgsqlDbType.Bigint);
        c.Write("submission", NpgsqlDbType.Text);
    }

    public void AddName(NameRow n)
    {
        var c = _names;
        c.StartRow();
        c.Write(n.SubjectId, NpgsqlDbType.Bigint);
        c.Write(n.Name, NpgsqlDbType.Text);
        c.Write(n.NameKey, NpgsqlDbType.Text);
        c.Write(n.IsCurrent, NpgsqlDbType.Boolean);
        c.Write(n.FirstSeen, NpgsqlDbType.TimestampTz);
    }

    public void AddRecord(in RecordPlacement p, SeedRow row, DateTime computedAt)
    {
        var c = _records;
        c.StartRow();
        c.Write(p.Id, NpgsqlDbType.Bigint);
        c.Write(p.RecordType, NpgsqlDbType.Text);
        c.Write(row.BusinessKey, NpgsqlDbType.Text);
        c.Write(p.DepartmentId, NpgsqlDbType.Bigint);
        c.Write(p.SubjectId, NpgsqlDbType.Bigint);
        c.Write(1, NpgsqlDbType.Integer);
        c.Write(row.ContentHash, NpgsqlDbType.Text);
        c.Write(p.DecisionNumber, NpgsqlDbType.Text);
        c.Write(row.DecisionDate, NpgsqlDbType.Date);
        c.Write(p.AuthorityName, NpgsqlDbType.Text);
        Text(c, p.AuthorityCode);
        if (row.Amount is { } a) c.Write(a, NpgsqlDbType.Numeric); else c.WriteNull();
        c.Write(p.SubjectName, NpgsqlDbType.Text);
        c.Write(p.SubmissionId, NpgsqlDbType.Bigint);
        c.Write(p.RowNumber, NpgsqlDbType.Bigint);
        c.Write(p.LagWorkingDays, NpgsqlDbType.Integer);
        c.Write(row.Json, NpgsqlDbType.Json);
        c.Write(p.ReceivedAt, NpgsqlDbType.TimestampTz);
        c.Write(p.ReceivedAt, NpgsqlDbType.TimestampTz);

        var d = row.Publication;
        var q = _publications;
        q.StartRow();
        q.Write(p.Id, NpgsqlDbType.Bigint);
        q.Write(p.RecordType, NpgsqlDbType.Text);
        q.Write(p.SubjectId, NpgsqlDbType.Bigint);
        q.Write(p.DepartmentId, NpgsqlDbType.Bigint);
        q.Write(p.SubjectKind, NpgsqlDbType.Text);
        q.Write(row.DecisionDate, NpgsqlDbType.Date);
        Text(q, row.Kinds);
        q.Write(d.Published, NpgsqlDbType.Boolean);
        Text(q, d.WithheldReason);
        Text(q, d.Grade?.ToCode());
        Text(q, d.GradeSource);
        Text(q, d.Sector);
        q.Write(d.RuleSetId, NpgsqlDbType.Text);
        q.Write(d.PublishFrom, NpgsqlDbType.Date);
        if (d.RepairFrom is { } rf) q.Write(rf, NpgsqlDbType.Date); else q.WriteNull();
        if (d.PublishUntil is { } pu) q.Write(pu, NpgsqlDbType.Date); else q.WriteNull();
        q.Write(computedAt, NpgsqlDbType.TimestampTz);
    }

    public async Task AddSubmissionsAsync(IReadOnlyList<SubmissionRow> rows, CancellationToken ct)
    {
        await using var copy = await _meta.BeginBinaryImportAsync(
            "COPY submissions (id, department_id, record_type, channel, file_name, file_sha256, file_size, actor, status, rows_done, rows_read, accepted, subjects_created, late, file_issues, received_at, started_at, completed_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var s in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(s.Id, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(s.DepartmentId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(s.RecordType, NpgsqlDbType.Text, ct);
            await copy.WriteAsync("bench", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(s.FileName, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(s.Sha256, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(s.FileSize, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync("system:bench-seeder", NpgsqlDbType.Text, ct);
            await copy.WriteAsync("completed", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(s.Rows, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(s.Rows, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(s.Rows, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(s.SubjectsCreated, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(s.Late, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync("[]", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(s.ReceivedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(s.ReceivedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(s.ReceivedAt, NpgsqlDbType.TimestampTz, ct);
        }
        await copy.CompleteAsync(ct);
    }

    public async Task FinishAsync(Action<string, TimeSpan> step, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        foreach (var c in new[] { _subjects, _idents, _names, _records, _publications })
        {
            await c.CompleteAsync(ct);
            await c.DisposeAsync();
        }
        step("COPY complete", sw.Elapsed);
        await _meta.ExecuteAsync("SET maintenance_work_mem = '2GB'; SET max_parallel_maintenance_workers = 1;");
        foreach (var c in _constraints.Where(c => c.Type != 'f'))
        {
            sw.Restart();
            await _meta.ExecuteAsync($"ALTER TABLE {c.Table} ADD CONSTRAINT {c.Name} {c.Definition}", commandTimeout: 0);
            step($"{c.Table} {c.Definition}", sw.Elapsed);
        }
        foreach (var (name, definition) in _indexes)
        {
            sw.Restart();
            await _meta.ExecuteAsync(definition, commandTimeout: 0);
            step($"index {name}", sw.Elapsed);
        }
        foreach (var c in _constraints.Where(c => c.Type == 'f'))
        {
            sw.Restart();
            await _meta.ExecuteAsync($"ALTER TABLE {c.Table} ADD CONSTRAINT {c.Name} {c.Definition}", commandTimeout: 0);
            step($"{c.Table} {c.Definition}", sw.Elapsed);
        }
        sw.Restart();
        foreach (var t in new[] { "subjects", "submissions", "records" })
        {
            await _meta.ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {t}), false)");
        }
        step("identity sequences", sw.Elapsed);
        sw.Restart();
        await _meta.ExecuteAsync($"VACUUM (ANALYZE) {string.Join(", ", Tables.Loaded)}", commandTimeout: 0);
        await _meta.ExecuteAsync("CHECKPOINT", commandTimeout: 0, commandType: System.Data.CommandType.Text);
        step("VACUUM (ANALYZE), CHECKPOINT", sw.Elapsed);
    }

    public async Task<long> SizeAsync(CancellationToken ct) =>
        await _meta.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _copyConnections) await c.DisposeAsync();
        if (_meta is not null) await _meta.DisposeAsync();
        if (_source is not null) await _source.DisposeAsync();
    }

    private static void Text(NpgsqlBinaryImporter c, string? value)
    {
        if (value is null) c.WriteNull();
        else c.Write(value, NpgsqlDbType.Text);
    }
}
