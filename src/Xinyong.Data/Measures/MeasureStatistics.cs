using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.Data.Measures;

/// <summary>
/// Feedback figures of one department over a period of asking: questions, measures to report, reports (applied or
/// not), on time, outstanding and overdue. These feed the member-unit assessment ("奖惩措施和信用应用成效反馈").
/// </summary>
public sealed record DepartmentFeedback
{
    public long DepartmentId { get; init; }
    public string DepartmentName { get; init; } = default!;
    public int Queries { get; init; }
    /// <summary>Questions with at least one measure to report on.</summary>
    public int QueriesToReport { get; init; }
    public int QueriesAnswered { get; init; }
    public int QueriesAnsweredOnTime { get; init; }
    public int QueriesOverdue { get; init; }
    public int Measures { get; init; }
    public int Withheld { get; init; }
    public int Applied { get; init; }
    public int NotApplied { get; init; }
    public int Outstanding => Measures - Applied - NotApplied;

    /// <summary>Share of measures reported on, 0..1; null when nothing needed a report.</summary>
    public double? FeedbackRate => Measures == 0 ? null : (double)(Applied + NotApplied) / Measures;

    /// <summary>Share of reported measures that were applied.</summary>
    public double? AppliedRate => Applied + NotApplied == 0 ? null : (double)Applied / (Applied + NotApplied);
}

public sealed class MeasureStatistics(XinyongDatabase db, TimeProvider clock)
{
    /// <summary>Per department, for questions asked from <paramref name="from"/> to <paramref name="to"/> (inclusive), busiest first.</summary>
    public async Task<IReadOnlyList<DepartmentFeedback>> ByDepartmentAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        await using var conn = await db.OpenAsync(ct);
        var queries = (await conn.QueryAsync<(long DepartmentId, string Name, long Queries, long ToReport, long Answered, long OnTime, long Overdue)>(
            """
            SELECT q.department_id, d.name, COUNT(*),
                   SUM(CASE WHEN q.items > 0 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN q.items > 0 AND q.answered_items >= q.items THEN 1 ELSE 0 END),
                   SUM(CASE WHEN q.items > 0 AND q.answered_items >= q.items AND q.answered_on <= q.due_on THEN 1 ELSE 0 END),
                   SUM(CASE WHEN q.answered_items < q.items AND q.due_on < @today THEN 1 ELSE 0 END)
            FROM measure_queries q JOIN departments d ON d.id = q.department_id
            WHERE q.asked_on >= @from AND q.asked_on <= @to
            GROUP BY q.department_id, d.name
            """, new { from, to, today })).ToList();
        var items = (await conn.QueryAsync<(long DepartmentId, long Measures, long Withheld, long Applied, long NotApplied)>(
            """
            SELECT q.department_id,
                   SUM(CASE WHEN i.withheld THEN 0 ELSE 1 END),
                   SUM(CASE WHEN i.withheld THEN 1 ELSE 0 END),
                   SUM(CASE WHEN i.applied THEN 1 ELSE 0 END),
                   SUM(CASE WHEN NOT i.applied THEN 1 ELSE 0 END)
            FROM measure_query_items i JOIN measure_queries q ON q.id = i.query_id
            WHERE q.asked_on >= @from AND q.asked_on <= @to
            GROUP BY q.department_id
            """, new { from, to })).ToDictionary(i => i.DepartmentId);
        return queries.Select(q =>
        {
            var i = items.GetValueOrDefault(q.DepartmentId);
            return new DepartmentFeedback
            {
                DepartmentId = q.DepartmentId, DepartmentName = q.Name, Queries = (int)q.Queries, QueriesToReport = (int)q.ToReport,
                QueriesAnswered = (int)q.Answered, QueriesAnsweredOnTime = (int)q.OnTime, QueriesOverdue = (int)q.Overdue,
                Measures = (int)i.Measures, Withheld = (int)i.Withheld, Applied = (int)i.Applied, NotApplied = (int)i.NotApplied,
            };
        }).OrderByDescending(d => d.Queries).ThenBy(d => d.DepartmentId).ToList();
    }
}
