using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Measures;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Measures;

/// <summary>Feedback rates and outcomes per department for a period, and the questions behind them.</summary>
public sealed class MeasuresFeedbackModel(MeasureStatistics statistics, MeasureQueries queries) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public IReadOnlyList<DepartmentFeedback> Rows { get; private set; } = [];
    public IReadOnlyList<QuerySummary> Queries { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = queries.Today;
        From ??= new DateOnly(Today.Year, 1, 1);
        To ??= Today;
        if (To < From) (From, To) = (To, From);
        var rows = await statistics.ByDepartmentAsync(From.Value, To.Value, ct);
        long? own = User.IsAdmin() ? null : User.DepartmentId() ?? -1;
        Rows = own is null ? rows : rows.Where(r => r.DepartmentId == own).ToList();
        Queries = await queries.ListAsync(own, string.IsNullOrEmpty(Status) ? null : Status, From, To, 200, ct);
    }
}
