using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Xinyong.Core.Publication;
using Xinyong.Core.Subjects;
using Xinyong.Data.Database;

namespace Xinyong.Data.Publication;

/// <summary>
/// Runs records through the publication rules and stores the outcome in <c>publications</c>, the public projection
/// every public surface reads. Re-running is idempotent; an early end already recorded (repair, withdrawal) is kept.
/// </summary>
public sealed class PublicationProjector(XinyongDatabase db, PublicationEngine engine, TimeProvider clock)
{
    private const int BatchSize = 5000;

    private const string SelectRecords = """
        SELECT r.id AS Id, r.record_type AS RecordType, r.subject_id AS SubjectId, r.department_id AS DepartmentId,
               r.decision_date AS DecisionDate, r.data AS Data, s.kind AS SubjectKind
        FROM records r JOIN subjects s ON s.id = r.subject_id
        """;

    /// <summary>Projects the records last written by one submission (new records and new versions alike).</summary>
    public async Task<long> ProjectSubmissionAsync(long submissionId, CancellationToken ct = default)
    {
        long total = 0, after = 0;
        while (true)
        {
            await using var conn = await db.OpenAsync(ct);
            var batch = (await conn.QueryAsync<SourceRecord>(
                $"{SelectRecords} WHERE r.submission_id = @submissionId AND r.id > @after ORDER BY r.id LIMIT {BatchSize}",
                new { submissionId, after })).AsList();
            if (batch.Count == 0) return total;
            await WriteAsync(conn, batch, ct);
            total += batch.Count;
            after = batch[^1].Id;
        }
    }

    /// <summary>Projects the given records again (after a correction made outside an ingest, e.g. an upheld objection).</summary>
    public async Task<long> ProjectRecordsAsync(IReadOnlyCollection<long> recordIds, CancellationToken ct = default)
    {
        if (recordIds.Count == 0) return 0;
        await using var conn = await db.OpenAsync(ct);
        var batch = (await conn.QueryAsync<SourceRecord>($"{SelectRecords} WHERE r.id {db.InList("ids")} ORDER BY r.id", new { ids = db.ListParam(recordIds) })).AsList();
        if (batch.Count > 0) await WriteAsync(conn, batch, ct);
        return batch.Count;
    }

    /// <summary>
    /// Projects records that have no publication row yet, or whose row is older than the record's latest version:
    /// catches up after a crash between an ingest and its projection.
    /// </summary>
    public async Task<long> ProjectPendingAsync(CancellationToken ct = default)
    {
        long total = 0, after = 0;
        await using var conn = await db.OpenAsync(ct);
        while (true)
        {
            var batch = (await conn.QueryAsync<SourceRecord>($"""
                {SelectRecords} LEFT JOIN publications p ON p.record_id = r.id
                WHERE r.id > @after AND (p.record_id IS NULL OR p.computed_at < r.received_at) ORDER BY r.id LIMIT {BatchSize}
                """, new { after })).AsList();
            if (batch.Count == 0) return total;
            await WriteAsync(conn, batch, ct);
            total += batch.Count;
            after = batch[^1].Id;
        }
    }

    /// <summary>Projects every record again, e.g. after the rules configuration changed.</summary>
    public async Task<long> ProjectAllAsync(IProgress<(long Done, long Total)>? progress = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var count = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM records");
        long total = 0, after = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var batch = (await conn.QueryAsync<SourceRecord>(
                $"{SelectRecords} WHERE r.id > @after ORDER BY r.id LIMIT {BatchSize}", new { after })).AsList();
            if (batch.Count == 0) break;
            await WriteAsync(conn, batch, ct);
            total += batch.Count;
            after = batch[^1].Id;
            progress?.Report((total, count));
        }
        return total;
    }

    /// <summary>Evaluates one stored record (for tests and explanations).</summary>
    public PublicationDecision Evaluate(string recordType, SubjectKind kind, DateOnly decisionDate, string dataJson) =>
        engine.Evaluate(new PublicationInput(recordType, kind, decisionDate, ParseData(dataJson)));

    private async Task WriteAsync(DbConnection conn, List<SourceRecord> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = new List<(SourceRecord Record, PublicationDecision Decision, string? Kinds)>(batch.Count);
        foreach (var r in batch)
        {
            var fields = ParseData(r.Data);
            var d = engine.Evaluate(new PublicationInput(r.RecordType, SubjectKinds.FromCode(r.SubjectKind), r.DecisionDate, fields));
            var kinds = fields.GetValueOrDefault(r.RecordType switch
            {
                PublicationEngine.Penalty => "CF_CFLB",
                PublicationEngine.CommitmentBreach => "WN_CNLX",
                _ => "XK_XKLB",
            });
            rows.Add((r, d, kinds));
        }
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (conn is NpgsqlConnection pg)
        {
            await conn.ExecuteAsync("CREATE TEMP TABLE IF NOT EXISTS publications_in (LIKE publications) ON COMMIT DELETE ROWS", transaction: tx);
            await using (var copy = await pg.BeginBinaryImportAsync(
                "COPY publications_in (record_id, record_type, subject_id, department_id, subject_kind, decision_date, kinds, published, withheld_reason, grade, grade_source, sector, rule_set, publish_from, repair_from, publish_until, computed_at) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var (r, d, kinds) in rows)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(r.RecordType, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.SubjectId, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(r.DepartmentId, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(r.SubjectKind, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.DecisionDate, NpgsqlDbType.Date, ct);
                    await WriteNullable(copy, kinds, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(d.Published, NpgsqlDbType.Boolean, ct);
                    await WriteNullable(copy, d.WithheldReason, NpgsqlDbType.Text, ct);
                    await WriteNullable(copy, d.Grade?.ToCode(), NpgsqlDbType.Text, ct);
                    await WriteNullable(copy, d.GradeSource, NpgsqlDbType.Text, ct);
                    await WriteNullable(copy, d.Sector, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(d.RuleSetId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(d.PublishFrom, NpgsqlDbType.Date, ct);
                    await WriteNullable(copy, d.RepairFrom, NpgsqlDbType.Date, ct);
                    await WriteNullable(copy, d.PublishUntil, NpgsqlDbType.Date, ct);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                }
                await copy.CompleteAsync(ct);
            }
            await conn.ExecuteAsync($"""
                INSERT INTO publications (record_id, record_type, subject_id, department_id, subject_kind, decision_date, kinds, published,
                    withheld_reason, grade, grade_source, sector, rule_set, publish_from, repair_from, publish_until, computed_at)
                SELECT record_id, record_type, subject_id, department_id, subject_kind, decision_date, kinds, published,
                    withheld_reason, grade, grade_source, sector, rule_set, publish_from, repair_from, publish_until, computed_at
                FROM publications_in
                ON CONFLICT (record_id) DO UPDATE SET {UpdateList}
                """, transaction: tx);
        }
        else
        {
            var sqlite = (SqliteConnection)conn;
            await using var cmd = sqlite.CreateCommand();
            cmd.Transaction = (SqliteTransaction)tx;
            cmd.CommandText = $"""
                INSERT INTO publications (record_id, record_type, subject_id, department_id, subject_kind, decision_date, kinds, published,
                    withheld_reason, grade, grade_source, sector, rule_set, publish_from, repair_from, publish_until, computed_at)
                VALUES ($id, $type, $subject, $dept, $kind, $date, $kinds, $published, $withheld, $grade, $gsrc, $sector, $rules, $from, $repair, $until, $at)
                ON CONFLICT (record_id) DO UPDATE SET {UpdateList}
                """;
            var p = new[] { "$id", "$type", "$subject", "$dept", "$kind", "$date", "$kinds", "$published", "$withheld", "$grade", "$gsrc", "$sector", "$rules", "$from", "$repair", "$until", "$at" }
                .Select(n => cmd.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
            cmd.Prepare();
            var at = now.ToString("yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (r, d, kinds) in rows)
            {
                p[0].Value = r.Id;
                p[1].Value = r.RecordType;
                p[2].Value = r.SubjectId;
                p[3].Value = r.DepartmentId;
                p[4].Value = r.SubjectKind;
                p[5].Value = Iso(r.DecisionDate);
                p[6].Value = (object?)kinds ?? DBNull.Value;
                p[7].Value = d.Published ? 1 : 0;
                p[8].Value = (object?)d.WithheldReason ?? DBNull.Value;
                p[9].Value = (object?)d.Grade?.ToCode() ?? DBNull.Value;
                p[10].Value = (object?)d.GradeSource ?? DBNull.Value;
                p[11].Value = (object?)d.Sector ?? DBNull.Value;
                p[12].Value = d.RuleSetId;
                p[13].Value = Iso(d.PublishFrom);
                p[14].Value = d.RepairFrom is { } rf ? Iso(rf) : DBNull.Value;
                p[15].Value = d.PublishUntil is { } pu ? Iso(pu) : DBNull.Value;
                p[16].Value = at;
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
    }

    private const string UpdateList = """
        record_type = excluded.record_type, subject_id = excluded.subject_id, department_id = excluded.department_id,
        subject_kind = excluded.subject_kind, decision_date = excluded.decision_date, kinds = excluded.kinds, published = excluded.published,
        withheld_reason = excluded.withheld_reason, grade = excluded.grade, grade_source = excluded.grade_source, sector = excluded.sector,
        rule_set = excluded.rule_set, publish_from = excluded.publish_from, repair_from = excluded.repair_from,
        publish_until = excluded.publish_until, computed_at = excluded.computed_at
        """;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, type, ct);
    }

    internal static Dictionary<string, string> ParseData(string json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        string? name = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName) name = reader.GetString();
            else if (reader.TokenType == JsonTokenType.String && name is not null) fields[name] = reader.GetString()!;
        }
        return fields;
    }

    private sealed record SourceRecord
    {
        public long Id { get; init; }
        public string RecordType { get; init; } = "";
        public long SubjectId { get; init; }
        public long DepartmentId { get; init; }
        public DateOnly DecisionDate { get; init; }
        public string Data { get; init; } = "";
        public string SubjectKind { get; init; } = "";
    }
}
