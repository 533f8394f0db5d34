using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.Data.Statistics;

public sealed record DepartmentCollection
{
    public long DepartmentId { get; init; }
    public string Period { get; init; } = default!;
    public long Submissions { get; init; }
    public long Submitted { get; init; }
    public long Accepted { get; init; }
    public long Unchanged { get; init; }
    public long NewVersions { get; init; }
    public long Rejected { get; init; }
    public long Late { get; init; }
}

public sealed record RejectReasonCount
{
    public long DepartmentId { get; init; }
    public string Period { get; init; } = default!;
    public string ReasonCode { get; init; } = default!;
    public long Count { get; init; }
}

/// <summary>
/// Per-department, per-period collection figures: rows submitted, accepted, rejected by reason, and late
/// (decision date to submission more than the catalogue's deadline in working days).
/// </summary>
public sealed class CollectionStatistics(XinyongDatabase db)
{
    /// <summary>Periods are calendar months (yyyy-MM) of the submission's receipt.</summary>
    public async Task<IReadOnlyList<DepartmentCollection>> ByDepartmentAsync(DateTime fromUtc, DateTime toUtc, long? departmentId = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var period = db.IsSqlite ? "strftime('%Y-%m', received_at, '+8 hours')" : "to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')";
        return (await conn.QueryAsync<DepartmentCollection>(
            $"""
            SELECT department_id, {period} AS period, COUNT(*) AS submissions, SUM(rows_read) AS submitted, SUM(accepted) AS accepted,
                   SUM(unchanged) AS unchanged, SUM(new_versions) AS new_versions, SUM(rejected) AS rejected, SUM(late) AS late
            FROM submissions
            WHERE received_at >= @fromUtc AND received_at < @toUtc AND (@departmentId IS NULL OR department_id = @departmentId)
            GROUP BY department_id, {period}
            ORDER BY period, department_id
            """, new { fromUtc, toUtc, departmentId })).ToList();
    }

    public async Task<IReadOnlyList<RejectReasonCount>> RejectReasonsAsync(DateTime fromUtc, DateTime toUtc, long? departmentId = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var period = db.IsSqlite ? "strftime('%Y-%m', s.received_at, '+8 hours')" : "to_char(s.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')";
        return (await conn.QueryAsync<RejectReasonCount>(
            $"""
            SELECT s.department_id, {period} AS period, r.reason_code, COUNT(*) AS count
            FROM rejected_rows r JOIN submissions s ON s.id = r.submission_id
            WHERE s.received_at >= @fromUtc AND s.received_at < @toUtc AND (@departmentId IS NULL OR s.department_id = @departmentId)
            GROUP BY s.department_id, {period}, r.reason_code
            ORDER BY count DESC
            """, new { fromUtc, toUtc, departmentId })).ToList();
    }
}
