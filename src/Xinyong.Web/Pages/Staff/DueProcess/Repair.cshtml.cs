using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Repair;
using Xinyong.Data.Departments;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Publication;
using Xinyong.Data.Repair;
using Xinyong.Web.Api;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.DueProcess;

/// <summary>One repair application for the department that made the finding: what the subject submitted, the record, the decision.</summary>
public sealed class RepairDetailModel(RepairStore repairs, CaseFiles files, DepartmentStore departments, PublicRecords records) : PageModel
{
    public StoredRepair Case { get; private set; } = default!;
    public IReadOnlyList<CaseStep> Steps { get; private set; } = [];
    public IReadOnlyList<EvidenceFile> Evidence { get; private set; } = [];
    public IReadOnlyList<CaseNotice> Notices { get; private set; } = [];
    public PublicationState? Publication { get; private set; }
    public string DepartmentName { get; private set; } = "";
    public DateOnly Today => repairs.Today;
    public string? Error { get; private set; }

    [BindProperty] public string? Reasons { get; set; }
    [BindProperty] public DateOnly? ReapplyFrom { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public Task<IActionResult> OnPostAcceptAsync(long id, CancellationToken ct) => ActAsync(id, h => repairs.AcceptAsync(id, h, User.ToActor(), ct), ct);

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken ct) => ActAsync(id, h => repairs.ApproveAsync(id, h, User.ToActor(), ct), ct);

    public Task<IActionResult> OnPostRejectAsync(long id, CancellationToken ct) =>
        ActAsync(id, h => repairs.RejectAsync(id, h, Reasons ?? "", ReapplyFrom, User.ToActor(), ct), ct);

    private async Task<IActionResult> ActAsync(long id, Func<Handler, Task<StoredRepair>> step, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } denied) return denied;
        try
        {
            await step(await DueProcessHttp.HandlerAsync(User, departments, ct));
            return RedirectToPage(new { id });
        }
        catch (RefusedException e)
        {
            Error = HttpContext.T(e.Zh, e.En);
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var s = await repairs.GetAsync(id, ct);
        if (s is null) return NotFound();
        if (!(await DueProcessHttp.HandlerAsync(User, departments, ct)).MayHandle(s.Application.DepartmentId)) return Forbid();
        Case = s;
        Steps = await repairs.StepsAsync(id, ct);
        Evidence = await files.EvidenceAsync(CaseKinds.Repair, id, ct);
        Notices = await files.NoticesAsync(CaseKinds.Repair, id, ct: ct);
        DepartmentName = (await departments.GetAsync(s.Application.DepartmentId, ct))?.Name ?? "?";
        Publication = (await records.StatesForSubjectAsync(s.Application.SubjectId, ct)).GetValueOrDefault(s.Application.RecordId);
        return null;
    }
}
