using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Submissions;

public sealed class SubmissionsModel(SubmissionStore submissions, DepartmentStore departments) : PageModel
{
    public IReadOnlyList<SubmissionRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await departments.ListAsync(ct);
        Rows = (await submissions.ListAsync(User.IsAdmin() ? null : User.DepartmentId() ?? -1, 200, ct))
            .Select(s => new SubmissionRow(s, all.FirstOrDefault(d => d.Id == s.DepartmentId)?.Name ?? "?")).ToList();
    }
}
