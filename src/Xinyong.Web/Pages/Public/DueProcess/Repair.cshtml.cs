using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Repair;
using Xinyong.Core.Publication;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Publication;
using Xinyong.Data.Repair;
using Xinyong.Data.Subjects;
using Xinyong.Web.Api;
using Xinyong.Web.Public;

namespace Xinyong.Web.Pages.Public.DueProcess;

/// <summary>
/// A subject applies for credit repair of one of its published penalties (信用修复申请). Before the minimum publicity period
/// has passed the page states the first day an application is possible instead of the form.
/// </summary>
public sealed class RepairModel(PublicSite site, PublicRecords records, SubjectStore subjects, RepairStore repairs, CaseFiles files, DueProcessRules rules)
    : PageModel
{
    public PublicSubject Subject { get; private set; } = default!;
    public PublicRecord Record { get; private set; } = default!;
    public RepairOutlook Outlook { get; private set; } = default!;
    public DateOnly Today { get; private set; }
    public DueProcessRuleSet RuleSet => rules.RuleSetOn(Today);
    public StoredRepair? Submitted { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The first day an application is possible, or null when it is possible today.</summary>
    public DateOnly? NotBefore => Outlook.EarliestDate is { } e && e > Today ? e : Outlook.ReapplyFrom is { } r && r > Today ? r : null;

    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? ContactName { get; set; }
    [BindProperty] public string? ContactPhone { get; set; }
    [BindProperty] public bool ObligationsPerformed { get; set; }
    [BindProperty] public string? ObligationsNote { get; set; }
    [BindProperty] public bool CommitmentMade { get; set; }
    [BindProperty] public string? CommitmentText { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, long record, CancellationToken ct)
    {
        if (!await LoadAsync(id, record, ct)) return NotFound();
        CommitmentText = HttpContext.T(
            $"本单位郑重承诺：已纠正失信行为并履行{Record.DecisionNumber}确定的全部义务；今后严格遵守法律法规，诚信经营；所提交材料真实有效。如有违反，自愿接受相关部门依法依规实施的惩戒，并承担相应法律责任。",
            $"We solemnly commit that the failing is corrected and every obligation of {Record.DecisionNumber} performed; that we will comply with the law and act in good faith; and that the materials are true. If we breach this commitment we accept the measures taken under the law.");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, long record, CancellationToken ct)
    {
        if (!await LoadAsync(id, record, ct)) return NotFound();
        var found = string.IsNullOrWhiteSpace(Code) ? null : await subjects.FindByCodeAsync(Code, ct);
        if (found is null || found.Id != id)
        {
            Error = HttpContext.T("统一社会信用代码（或身份证号码）与该主体不符。", "The code does not match this subject.");
            return Page();
        }
        var actor = new Actor(ActorKind.User, "public:" + Code!.Trim());
        try
        {
            // Files are checked before the case exists, so a refused file is reported on the form instead of after a filing without it.
            var uploads = Request.HasFormContentType ? await DueProcessHttp.ReadFormFilesAsync(Request.Form.Files, ct) : [];
            Submitted = await repairs.SubmitAsync(new RepairRequest(id, record, 0, "online", ContactName ?? "", ContactPhone ?? "", ObligationsPerformed,
                ObligationsNote ?? "", CommitmentMade, actor.ToString()), CommitmentText ?? "", actor, ct);
            await DueProcessHttp.AttachAsync(uploads, CaseKinds.Repair, Submitted.Application.Id, files, actor, ct);
        }
        catch (RefusedException e)
        {
            Error = HttpContext.T(e.Zh, e.En);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(long id, long record, CancellationToken ct)
    {
        Today = site.Today;
        var r = await records.RecordAsync(record, Today, ct);
        var s = await records.SubjectAsync(id, Today, ct);
        var o = await repairs.OutlookAsync(record, ct);
        if (r is null || s is null || o is null || r.SubjectId != id || r.RecordType != PublicationEngine.Penalty) return false;
        (Subject, Record, Outlook) = (s, r, o);
        return true;
    }
}
