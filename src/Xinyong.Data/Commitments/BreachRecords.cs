using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Commitments;
using Xinyong.Core.Normalization;
using Xinyong.Core.Publication;
using Xinyong.Data.Departments;
using Xinyong.Data.Publication;

namespace Xinyong.Data.Commitments;

/// <summary>
/// Turns a confirmed breach into a record on the subject, of the catalogue type commitment-breach (national category
/// 信用承诺及履约情况), written with the same provenance as a department's file: a one-row submission on channel
/// 'commitment' and a record whose business key is built like the ingest builds it (decision number, authority), so a
/// department that later sends the same finding in a file updates this record instead of duplicating it.
/// </summary>
public sealed class BreachRecords(Database.XinyongDatabase db, PublicationProjector projector, TimeProvider clock)
{
    public const string Channel = "commitment";

    private static readonly JsonSerializerOptions StoredJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal async Task<(long RecordId, long SubmissionId)> WriteAsync(DbConnection conn, DbTransaction tx, Commitment c, CommitmentKind kind, Department department,
        Actor actor, CancellationToken ct)
    {
        var s = await conn.QuerySingleAsync<(string Kind, string Name, string? Uscc, string? LegalRepresentative)>(
            "SELECT kind, name, uscc, legal_representative FROM subjects WHERE id = @SubjectId", new { c.SubjectId }, tx);
        var idNumber = s.Kind == "natural_person"
            ? await conn.QueryFirstOrDefaultAsync<string>("SELECT value FROM subject_identifiers WHERE subject_id = @SubjectId AND scheme = 'idcard'", new { c.SubjectId }, tx)
            : null;
        var fields = new Dictionary<string, string?>
        {
            ["WN_XDR_MC"] = s.Name,
            ["WN_XDR_LB"] = s.Kind switch { "natural_person" => "自然人", "individual_business" => "个体工商户", _ => "法人及非法人组织" },
            ["WN_XDR_SHXYM"] = s.Uscc,
            ["WN_FRDB"] = s.LegalRepresentative,
            ["WN_XDR_ZJLX"] = idNumber is null ? null : "身份证",
            ["WN_XDR_ZJHM"] = idNumber,
            ["WN_CNBH"] = c.Id.ToString(CultureInfo.InvariantCulture),
            ["WN_CNLX"] = kind.NameZh,
            ["WN_CNSX"] = c.Matter,
            ["WN_CNNR"] = c.Content,
            ["WN_CNRQ"] = Iso(c.MadeOn),
            ["WN_WSH"] = c.BreachDecisionNumber,
            ["WN_SY"] = c.BreachFacts,
            ["WN_YJ"] = c.BreachBasis,
            ["WN_RDRQ"] = Iso(c.ConfirmedOn!.Value),
            ["WN_YZCD"] = PenaltyGrades.FromCode(c.BreachGrade!).ToChinese(),
            ["WN_RDJG"] = department.FullName,
        };
        var data = JsonSerializer.Serialize(fields.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value), StoredJson);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data)));
        var now = clock.GetUtcNow().UtcDateTime;
        var businessKey = ChineseText.NameKey(c.BreachDecisionNumber!) + "\u001F" + ChineseText.NameKey(department.FullName);
        var submissionId = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (department_id, record_type, channel, file_name, file_sha256, file_size, actor, status, rows_done, rows_read, accepted,
              received_at, started_at, completed_at)
            VALUES (@dept, @type, @channel, @file, @hash, @size, @actor, 'completed', 1, 1, 1, @now, @now, @now)
            RETURNING id
            """,
            new { dept = c.DepartmentId, type = PublicationEngine.CommitmentBreach, channel = Channel, file = $"commitment-{c.Id}", hash,
                size = (long)Encoding.UTF8.GetByteCount(data), actor = actor.ToString(), now }, tx);
        if (await conn.ExecuteScalarAsync<long?>("SELECT id FROM records WHERE record_type = @type AND business_key = @businessKey",
                new { type = PublicationEngine.CommitmentBreach, businessKey }, tx) is { } taken)
        {
            throw new CommitmentRefusedException(new CommitmentRefusal("decision-number-used", "decisionNumber",
                $"文书号“{c.BreachDecisionNumber}”已用于本部门的另一条违诺记录（记录 {taken}），请核对文书号。",
                $"Decision number '{c.BreachDecisionNumber}' is already used for another breach record of this department (record {taken}).", CommitmentRefusalKind.Conflict));
        }
        var recordId = await conn.ExecuteScalarAsync<long>(
            $"""
            INSERT INTO records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name,
              authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at)
            VALUES (@type, @businessKey, @dept, @subject, 1, @hash, @number, @date, @authority, NULL, NULL, @name, @submissionId, 1, 0, {(db.IsSqlite ? "@data" : "CAST(@data AS json)")}, @now, @now)
            RETURNING id
            """,
            new { type = PublicationEngine.CommitmentBreach, businessKey, dept = c.DepartmentId, subject = c.SubjectId, hash = hash[..32], number = c.BreachDecisionNumber,
                date = c.ConfirmedOn, authority = department.FullName, name = s.Name, submissionId, data, now }, tx);
        return (recordId, submissionId);
    }

    /// <summary>Runs the breach record through the publication rules.</summary>
    internal Task<long> ProjectAsync(long submissionId, CancellationToken ct) => projector.ProjectSubmissionAsync(submissionId, ct);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
