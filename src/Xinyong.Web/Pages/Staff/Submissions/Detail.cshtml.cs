using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Submissions;

public sealed class SubmissionDetailModel(SubmissionStore submissions, DepartmentStore departments) : PageModel
{
    public Submission? Submission { get; private set; }
    public string DepartmentName { get; private set; } = "";
    public IReadOnlyList<RejectedRow> Rejects { get; private set; } = [];
    public IReadOnlyList<(string Code, long Count)> Reasons { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        Submission = await submissions.GetAsync(id, ct);
        if (Submission is null) return NotFound();
        if (!User.CanAccessDepartment(Submission.DepartmentId)) return Forbid();
        DepartmentName = (await departments.GetAsync(Submission.DepartmentId, ct))?.Name ?? "?";
        Rejects = await submissions.RejectsAsync(id, 0, 200, ct);
        Reasons = await submissions.RejectReasonsAsync(id, ct);
        return Page();
    }
}
