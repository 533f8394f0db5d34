using Dapper;
using Xinyong.Core.Calendar;
using Xinyong.Data.Database;

namespace Xinyong.Data.DueProcess;

/// <summary>Cases of one kind filed by one department in one month, how many are decided, and how long deciding took.</summary>
public sealed record DueProcessMonth(string Kind, long DepartmentId, string Month, int Filed, int Decided, int Open, double? MeanWorkingDays, int Overdue);

/// <summary>Volumes and processing times of objections and repair applications per department and month (staff dashboard).</summary>
public sealed class DueProcessStatistics(XinyongDatabase db, WorkingDayCalendar calendar, TimeProvider clock)
{
    public async Task<IReadOnlyList<DueProcessMonth>> MonthlyAsync(DateOnly from, long? departmentId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<Row>(
            """
            SELECT 'objection' AS kind, department_id, filed_on, decided_at, decide_by AS due FROM objections
              WHERE filed_on >= @from AND (@departmentId IS NULL OR department_id = @departmentId)
            UNION ALL
            SELECT 'repair', department_id, submitted_on, decided_at, decide_by FROM repair_applications
              WHERE submitted_on >= @from AND (@departmentId IS NULL OR department_id = @departmentId)
            """, new { from, departmentId })).ToList();
        var today = DueProcessClock.Today(clock);
        return rows
            .GroupBy(r => (r.Kind, r.DepartmentId, Month: r.FiledOn.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)))
            .Select(g =>
            {
                var decided = g.Where(r => r.DecidedAt is not null).ToList();
                double? mean = decided.Count == 0 ? null
                    : decided.Average(r => (double)calendar.WorkingDaysBetween(r.FiledOn, DateOnly.FromDateTime(r.DecidedAt!.Value.AddHours(8))));
                var overdue = g.Count(r => r.DecidedAt is { } at ? DateOnly.FromDateTime(at.AddHours(8)) > r.Due : today > r.Due);
                return new DueProcessMonth(g.Key.Kind, g.Key.DepartmentId, g.Key.Month, g.Count(), decided.Count, g.Count() - decided.Count, mean, overdue);
            })
            .OrderBy(m => m.Month).ThenBy(m => m.Kind).ThenBy(m => m.DepartmentId).ToList();
    }

    private sealed class Row
    {
        public string Kind { get; set; } = "";
        public long DepartmentId { get; set; }
        public DateOnly FiledOn { get; set; }
        public DateTime? DecidedAt { get; set; }
        public DateOnly Due { get; set; }
    }
}
