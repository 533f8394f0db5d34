using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Catalogue;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Objections;
using Xinyong.Data.Database;
using Xinyong.Data.DueProcess;

namespace Xinyong.Data.Objections;

/// <summary>
/// What an upheld objection does to a record, inside the decision's transaction: the corrected fields are validated
/// like an ingested row and written as a NEW VERSION of the record (the old version moves to record_history, as an
/// ingest would do it, under a submission of channel 'objection'); a withdrawal ends the record's publication.
/// Departments that received the record are told either way.
/// </summary>
public sealed class ObjectionCorrections(XinyongDatabase db, RecordCatalogue catalogue, CaseFiles files, TimeProvider clock)
{
    public const string Withdrawn = "withdrawn";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The record's current field values (for showing them beside a correction and filling the old values).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> CurrentValuesAsync(long recordId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var data = await conn.ExecuteScalarAsync<string?>("SELECT data FROM records WHERE id = @recordId", new { recordId });
        return data is null ? new Dictionary<string, string?>() : JsonSerializer.Deserialize<Dictionary<string, string?>>(data) ?? [];
    }

    /// <summary>Applies a decided objection about a record. Returns the new version number when the record was corrected.</summary>
    internal async Task<int?> ApplyAsync(Objection o, string reference, DbConnection conn, DbTransaction tx, Actor actor, CancellationToken ct)
    {
        if (o.TargetKind != ObjectionTargetKind.Record) return null;
        var today = DueProcessClock.Today(clock);
        if (o.Withdraw)
        {
            await conn.ExecuteAsync("UPDATE publications SET ended_on = @today, ended_reason = @reason WHERE record_id = @id AND ended_on IS NULL",
                new { today, reason = Withdrawn, id = o.TargetId }, tx);
            await TellReceiversAsync(conn, tx, o, reference,
                $"异议处理通知：记录 {o.TargetId} 经异议核查已撤销（{reference}），请停止使用该信息并解除据此采取的相关措施。",
                $"Objection notice: record {o.TargetId} was withdrawn after objection {reference}; stop using it and lift any measures based on it.");
            return null;
        }
        if (o.Corrections.Count == 0) return null;
        var version = await CorrectAsync(o, reference, conn, tx, actor, ct);
        await TellReceiversAsync(conn, tx, o, reference,
            $"异议处理通知：记录 {o.TargetId} 经异议核查已更正（第 {version} 版，{reference}）：" +
            string.Join("；", o.Corrections.Select(c => $"{c.Field} 由“{c.OldValue}”更正为“{c.NewValue}”")) + "。请以更正后的信息为准。",
            $"Objection notice: record {o.TargetId} was corrected (version {version}, {reference}): " +
            string.Join("; ", o.Corrections.Select(c => $"{c.Field} from '{c.OldValue}' to '{c.NewValue}'")) + ". Use the corrected data.");
        return version;
    }

    private async Task<int> CorrectAsync(Objection o, string reference, DbConnection conn, DbTransaction tx, Actor actor, CancellationToken ct)
    {
        var r = await conn.QuerySingleAsync<RecordRow>(
            "SELECT id, record_type, business_key, department_id, version, data, lag_working_days FROM records WHERE id = @id" + (db.IsSqlite ? "" : " FOR UPDATE"),
            new { id = o.TargetId }, tx);
        var type = catalogue[r.RecordType];
        var current = JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Data) ?? [];
        var identity = new HashSet<string>(StringComparer.Ordinal) { type.Subject.Kind, type.Subject.CreditCode, type.Subject.IdNumber, type.Subject.IdType };
        foreach (var c in o.Corrections)
        {
            if (type.IndexOf(c.Field) < 0)
                throw new RefusedException("unknown_field", $"“{c.Field}”不是{type.NameZh}的字段", $"'{c.Field}' is not a field of {type.NameEn}", RefusalKind.Invalid);
            if (identity.Contains(c.Field))
                throw new RefusedException("identity_field", "主体身份信息有误的记录应予撤销，不能更正为其他主体",
                    "A record about the wrong subject is withdrawn, not corrected to another subject", RefusalKind.Invalid);
            var now = current.GetValueOrDefault(c.Field);
            if (!string.Equals(now ?? "", c.OldValue ?? "", StringComparison.Ordinal))
                throw new RefusedException("stale_value", $"字段 {c.Field} 的现值为“{now}”，与更正前的值“{c.OldValue}”不符",
                    $"Field {c.Field} currently holds '{now}', not '{c.OldValue}'", RefusalKind.Conflict);
            current[c.Field] = string.IsNullOrWhiteSpace(c.NewValue) ? null : c.NewValue.Trim();
        }
        var header = type.Fields.Select(f => f.Name).ToList();
        var validator = new RowValidator(type, HeaderMapping.Map(type, header), header, DueProcessClock.Today(clock));
        var row = validator.Validate(1, header.Select(h => current.GetValueOrDefault(h)).ToList());
        if (!row.IsValid)
        {
            var e = row.Errors[0];
            throw new RefusedException("correction_invalid", $"更正后的记录不合规：{e.MessageZh}", $"The corrected record is not valid: {e.MessageEn}", RefusalKind.Invalid);
        }
        if (row.BusinessKey != r.BusinessKey &&
            await conn.ExecuteScalarAsync<long?>("SELECT id FROM records WHERE record_type = @t AND business_key = @k", new { t = type.Code, k = row.BusinessKey }, tx) is not null)
            throw new RefusedException("duplicate_key", "更正后的决定书文号与另一条记录相同", "After correction the decision number equals another record's", RefusalKind.Conflict);

        var v = row.Values;
        var data = JsonSerializer.Serialize(type.Fields.Select((f, i) => (f.Name, v[i])).Where(x => x.Item2 is not null).ToDictionary(x => x.Name, x => x.Item2), JsonOptions);
        var amount = type.Amount is { } a && v[type.IndexOf(a)] is { } av ? decimal.Parse(av, CultureInfo.InvariantCulture) : (decimal?)null;
        var at = clock.GetUtcNow().UtcDateTime;
        var submission = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (department_id, record_type, channel, file_name, file_sha256, file_size, actor, status, rows_done, rows_read, accepted,
              new_versions, received_at, started_at, completed_at)
            VALUES (@dept, @type, 'objection', @name, @hash, 0, @actor, 'completed', 1, 1, 1, 1, @at, @at, @at) RETURNING id
            """, new { dept = r.DepartmentId, type = type.Code, name = "异议更正 " + reference, hash = row.ContentHash, actor = actor.ToString(), at }, tx);
        await conn.ExecuteAsync(
            """
            INSERT INTO record_history (record_id, version, content_hash, subject_id, submission_id, row_number, data, received_at, superseded_at, superseded_by_submission)
            SELECT id, version, content_hash, subject_id, submission_id, row_number, data, received_at, @at, @submission FROM records WHERE id = @id
            """, new { id = r.Id, at, submission }, tx);
        await conn.ExecuteAsync(
            $"""
            UPDATE records SET version = version + 1, content_hash = @hash, business_key = @key, decision_number = @number, decision_date = @date,
              authority_name = @authority, authority_code = @authorityCode, amount = @amount, subject_name = @name, submission_id = @submission,
              row_number = 1, data = {(db.IsSqlite ? "@data" : "CAST(@data AS json)")}, received_at = @at
            WHERE id = @id
            """,
            new { id = r.Id, hash = row.ContentHash, key = row.BusinessKey, number = v[type.IndexOf(type.DecisionNumber)], date = row.DecisionDate,
                authority = v[type.IndexOf(type.Authority.Name)], authorityCode = v[type.IndexOf(type.Authority.Code)], amount,
                name = v[type.IndexOf(type.Subject.Name)], submission, data, at }, tx);
        return r.Version + 1;
    }

    private async Task TellReceiversAsync(DbConnection conn, DbTransaction tx, Objection o, string reference, string zh, string en)
    {
        var receivers = (await conn.QueryAsync<long>(
            "SELECT department_id FROM record_shares WHERE record_id = @id AND department_id <> @dept ORDER BY department_id",
            new { id = o.TargetId, dept = o.DepartmentId }, tx)).ToList();
        foreach (var d in receivers) await files.NoticeAsync(conn, tx, CaseKinds.Objection, o.Id, "department", d, "correction", zh, en);
    }

    private sealed class RecordRow
    {
        public long Id { get; set; }
        public string RecordType { get; set; } = "";
        public string BusinessKey { get; set; } = "";
        public long DepartmentId { get; set; }
        public int Version { get; set; }
        public string Data { get; set; } = "";
        public int LagWorkingDays { get; set; }
    }
}
