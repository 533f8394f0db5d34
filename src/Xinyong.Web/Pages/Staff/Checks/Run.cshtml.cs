using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Checks;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Checks;

/// <summary>One check run: progress while it runs, then the counts, the result files and the rows that did not pass.</summary>
public sealed class CheckRunModel(CheckRuns runs) : PageModel
{
    public CheckRun? Run { get; private set; }
    public IReadOnlyList<CheckRowResult> NotPassed { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        Run = await runs.GetAsync(id, ct);
        if (Run is null) return NotFound();
        var own = User.IsAdmin() || (Run.DepartmentId is { } d && User.DepartmentId() == d) || (Run.DepartmentId is null && Run.Actor == User.ToActor().Name);
        if (!own) return Forbid();
        if (Run.Status == CheckRunStatus.Done)
        {
            var rows = new List<CheckRowResult>();
            foreach (var o in new[] { "fail", "review", "not_found", "ambiguous" }) rows.AddRange(await runs.ResultsAsync(id, o, 0, 200, ct));
            NotPassed = rows.OrderBy(r => r.Row).ToList();
        }
        return Page();
    }
}
