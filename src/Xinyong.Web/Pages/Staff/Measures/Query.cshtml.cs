using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.DueProcess;
using Xinyong.Data.Measures;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Measures;

/// <summary>One department question: the measures with their listings and legal basis, and the report form per measure.</summary>
public sealed class MeasuresQueryModel(MeasureQueries queries) : PageModel
{
    public QueryView Query { get; private set; } = default!;
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostReportAsync(long id, string? measureId, bool? applied, string? action, string? reason, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } denied) return denied;
        if (applied is null)
        {
            Error = HttpContext.T("请选择是否实施。", "Choose whether the measure was applied.");
            return Page();
        }
        try
        {
            await queries.ReportAsync(id, User.IsAdmin() ? null : User.DepartmentId() ?? -1, [new MeasureReport(measureId, applied.Value, action, reason)], User.ToActor(), ct);
            return Redirect($"/staff/measures/queries/{id}");
        }
        catch (RefusedException e)
        {
            Error = HttpContext.T(e.Zh, e.En);
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var q = await queries.GetAsync(id, ct);
        if (q is null) return NotFound();
        if (!User.CanAccessDepartment(q.DepartmentId)) return Forbid();
        Query = q.SubjectKind == "natural_person" ? q with { SubjectName = Xinyong.Identifiers.Masking.MaskPersonName(q.SubjectName) } : q;
        return null;
    }
}
