using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Statistics;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff;

public sealed record DepartmentBar(string Name, long Submitted, long Accepted, long Unchanged, long NewVersions, long Rejected, long Late);

public sealed record SubmissionRow(Submission Submission, string DepartmentName);

public sealed class DashboardModel(CollectionStatistics stats, DepartmentStore departments, SubmissionStore submissions, SubjectStore subjects, TimeProvider clock) : PageModel
{
    public long Subjects { get; private set; }
    public DepartmentBar Totals { get; private set; } = new("", 0, 0, 0, 0, 0, 0);
    public IReadOnlyList<DepartmentBar> ByDepartment { get; private set; } = [];
    public IReadOnlyList<SubmissionRow> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        long? scope = User.IsAdmin() ? null : User.DepartmentId() ?? -1;
        var rows = await stats.ByDepartmentAsync(now.AddYears(-1), now.AddDays(1), scope, ct);
        var all = await departments.ListAsync(ct);
        ByDepartment = rows.GroupBy(r => r.DepartmentId).Select(g => new DepartmentBar(
                all.FirstOrDefault(d => d.Id == g.Key)?.Name ?? "?", g.Sum(x => x.Submitted), g.Sum(x => x.Accepted), g.Sum(x => x.Unchanged),
                g.Sum(x => x.NewVersions), g.Sum(x => x.Rejected), g.Sum(x => x.Late)))
            .OrderByDescending(b => b.Submitted).ToList();
        Totals = new DepartmentBar("", ByDepartment.Sum(b => b.Submitted), ByDepartment.Sum(b => b.Accepted), ByDepartment.Sum(b => b.Unchanged),
            ByDepartment.Sum(b => b.NewVersions), ByDepartment.Sum(b => b.Rejected), ByDepartment.Sum(b => b.Late));
        Subjects = await subjects.CountAsync(ct);
        Recent = (await submissions.ListAsync(scope, 10, ct)).Select(s => new SubmissionRow(s, all.FirstOrDefault(d => d.Id == s.DepartmentId)?.Name ?? "?")).ToList();
    }
}
