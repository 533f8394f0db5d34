using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Reports;
using Xinyong.Web.Reports;

namespace Xinyong.Web.Pages.Staff.Reports;

/// <summary>Requests received and reports issued per day, month or year (seed 003 reports such yearly counts), with a bar chart.</summary>
public sealed class StatisticsModel(ReportStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public ReportPeriod Period { get; set; } = ReportPeriod.Month;

    public IReadOnlyList<ReportCount> Counts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ReportService.MayIssue(User)) return Forbid();
        To ??= store.Today;
        From ??= Period == ReportPeriod.Day ? To.Value.AddDays(-29) : new DateOnly(To.Value.Year, 1, 1);
        if (From > To) (From, To) = (To, From);
        if (To.Value.DayNumber - From.Value.DayNumber > 3660) From = To.Value.AddYears(-10);
        if (Period == ReportPeriod.Day && To.Value.DayNumber - From.Value.DayNumber > 366) From = To.Value.AddDays(-366);
        Counts = await store.CountsAsync(From.Value, To.Value, Period, ct);
        return Page();
    }

    public string Label(DateOnly d) => Period switch
    {
        ReportPeriod.Day => d.ToString("MM-dd"),
        ReportPeriod.Month => d.ToString("yyyy-MM"),
        _ => d.ToString("yyyy"),
    };
}
