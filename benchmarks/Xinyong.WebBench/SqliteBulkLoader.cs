using System.Diagnostics;
using Dapper;
using Xinyong.Core.Publication;
using Microsoft.Data.Sqlite;

namespace Xinyong.WebBench;

/// <summary>
/// SQLite at raw speed: one connection, journal and syncing off during the load, one prepared INSERT per table reused
/// inside large transactions, explicit indexes dropped and created again afterwards (a sorted build). The table
/// constraints that SQLite keeps as automatic indexes (records' business key, subject_identifiers' key) stay.
/// </summary>
internal sealed class SqliteBulkLoader(string path) : IBulkLoader
{
    private const int CommitEvery = 250_000;

    private SqliteConnection _conn = null!;
    private SqliteTransaction _tx = null!;
    private SqliteCommand _subject = null!, _ident = null!, _name = null!, _record = null!, _publication = null!;
    private readonly List<(string Name, string Sql)> _indexes = [];
    private long _sinceCommit;

    public async Task BeginAsync(CancellationToken ct)
    {
        // The platform's pooled connections (PlatformSetup) hold the WAL open; leaving WAL needs the only connection.
        SqliteConnection.ClearAllPools();
        _conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await _conn.OpenAsync(ct);
        // No rollback journal and no fsync: a failed load is simply seeded again. 2 GB page cache for the key B-trees.
        await _conn.ExecuteAsync("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;");
        var tables = string.Join(",", Tables.Loaded.Select(t => $"'{t}'"));
        _indexes.AddRange(await _conn.QueryAsync<(string, string)>($"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables}) ORDER BY name"));
        foreach (var (name, _) in _indexes) await _conn.ExecuteAsync($"DROP INDEX {name}");

        _tx = _conn.BeginTransaction();
        _subject = Prepare("INSERT INTO subjects (id, kind, uscc, name, name_key, legal_representative, division_code, created_by_submission, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)", 9);
        _ident = Prepare("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ($1,$2,$3,'submission')", 3);
        _name = Prepare("INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES ($1,$2,$3,$4,$5)", 5);
        _record = Prepare("INSERT INTO records (id, record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name, authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at) VALUES ($1,$2,$3,$4,$5,1,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17)", 17);
        _publication = Prepare("INSERT INTO publications (record_id, record_type, subject_id, department_id, subject_kind, decision_date, kinds, published, withheld_reason, grade, grade_source, sector, rule_set, publish_from, repair_from, publish_until, computed_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)", 17);
    }

    public void AddSubject(SubjectRow s) =>
        Run(_subject, s.Id, s.Kind, s.Uscc, s.Name, s.NameKey, s.LegalRepresentative, s.DivisionCode, s.CreatedBySubmission, Tables.Timestamp(s.CreatedAt));

    public void AddIdentifier(string scheme, string value, long subjectId) => Run(_ident, scheme, value, subjectId);

    public void AddName(NameRow n) => Run(_name, n.SubjectId, n.Name, n.NameKey, n.IsCurrent ? 1 : 0, Tables.Timestamp(n.FirstSeen));

    public void AddRecord(in RecordPlacement p, SeedRow row, DateTime computedAt)
    {
        var received = Tables.Timestamp(p.ReceivedAt);
        Run(_record, p.Id, p.RecordType, row.BusinessKey, p.DepartmentId, p.SubjectId, row.ContentHash, p.DecisionNumber, Tables.Iso(row.DecisionDate),
            p.AuthorityName, p.AuthorityCode, row.Amount, p.SubjectName, p.SubmissionId, p.RowNumber, p.LagWorkingDays, row.Json, received);
        var d = row.Publication;
        Run(_publication, p.Id, p.RecordType, p.SubjectId, p.DepartmentId, p.SubjectKind, Tables.Iso(row.DecisionDate), row.Kinds, d.Published ? 1 : 0,
            d.WithheldReason, d.Grade?.ToCode(), d.GradeSource, d.Sector, d.RuleSetId, Tables.Iso(d.PublishFrom),
            d.RepairFrom is { } rf ? Tables.Iso(rf) : null, d.PublishUntil is { } pu ? Tables.Iso(pu) : null, Tables.Timestamp(computedAt));
        if (++_sinceCommit >= CommitEvery)
        {
            _tx.Commit();
            _tx = _conn.BeginTransaction();
            foreach (var c in new[] { _subject, _ident, _name, _record, _publication }) c.Transaction = _tx;
            _sinceCommit = 0;
        }
    }

    public async Task AddSubmissionsAsync(IReadOnlyList<SubmissionRow> rows, CancellationToken ct)
    {
        await _conn.ExecuteAsync(
            """
            INSERT INTO submissions (id, department_id, record_type, channel, file_name, file_sha256, file_size, actor, status, rows_done, rows_read, accepted,
                subjects_created, late, file_issues, received_at, started_at, completed_at)
            VALUES (@Id, @DepartmentId, @RecordType, 'bench', @FileName, @Sha256, @FileSize, 'system:bench-seeder', 'completed', @Rows, @Rows, @Rows,
                @SubjectsCreated, @Late, '[]', @ReceivedAt, @ReceivedAt, @ReceivedAt)
            """, rows, _tx);
    }

    public async Task FinishAsync(Action<string, TimeSpan> step, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        _tx.Commit();
        foreach (var c in new[] { _subject, _ident, _name, _record, _publication }) c.Dispose();
        step("commit", sw.Elapsed);
        foreach (var (name, sql) in _indexes)
        {
            sw.Restart();
            await _conn.ExecuteAsync(sql);
            step($"index {name}", sw.Elapsed);
        }
        sw.Restart();
        // As the platform runs it (Migrator sets WAL); no ANALYZE: the platform does not run one either.
        await _conn.ExecuteAsync("PRAGMA locking_mode = NORMAL");
        await _conn.ExecuteAsync("PRAGMA journal_mode = WAL");
        step("journal_mode = WAL", sw.Elapsed);
    }

    public Task<long> SizeAsync(CancellationToken ct) => Task.FromResult(new FileInfo(path).Length);

    public async ValueTask DisposeAsync()
    {
        if (_conn is not null) await _conn.DisposeAsync();
    }

    private SqliteCommand Prepare(string sql, int parameters)
    {
        var cmd = _conn.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        for (var i = 1; i <= parameters; i++) cmd.Parameters.Add(new SqliteParameter("$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
        cmd.Prepare();
        return cmd;
    }

    private static void Run(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        cmd.ExecuteNonQuery();
    }
}
