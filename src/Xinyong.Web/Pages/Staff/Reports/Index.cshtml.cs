using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Reports;
using Xinyong.Data.Reports;
using Xinyong.Web.Auth;
using Xinyong.Web.Reports;

namespace Xinyong.Web.Pages.Staff.Reports;

/// <summary>The credit office's queue of report requests: issue (renders and stores the PDF) or reject with a reason.</summary>
public sealed class IndexModel(ReportStore store, ReportService reports, ReportPurposeCatalogue purposes) : PageModel
{
    public IReadOnlyList<ReportRequestSnapshot> Waiting { get; private set; } = [];
    public IReadOnlyList<ReportRequestSnapshot> Issued { get; private set; } = [];
    public IReadOnlyList<ReportRequestSnapshot> Rejected { get; private set; } = [];
    public string? Message { get; private set; }
    public ReportRefusal? Refusal { get; private set; }

    public string PurposeName(string? id) => purposes.Find(id, store.Today)?.NameZh ?? "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ReportService.MayIssue(User)) return Forbid();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostIssueAsync(long id, CancellationToken ct)
    {
        if (!ReportService.MayIssue(User)) return Forbid();
        try
        {
            var r = await reports.IssueAsync(id, User, Request, ct);
            Message = $"已出具报告 {r.Number}。";
        }
        catch (ReportRefusedException e)
        {
            Refusal = e.Refusal;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync(long id, string? reason, CancellationToken ct)
    {
        if (!ReportService.MayIssue(User)) return Forbid();
        try
        {
            await store.RejectAsync(id, reason, User.ToActor(), ct);
            Message = "已作不予出具处理。";
        }
        catch (ReportRefusedException e)
        {
            Refusal = e.Refusal;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Waiting = await store.QueueAsync(ReportRequestStatus.Requested, ct: ct);
        Issued = await store.QueueAsync(ReportRequestStatus.Issued, 50, ct);
        Rejected = await store.QueueAsync(ReportRequestStatus.Rejected, 20, ct);
    }
}
