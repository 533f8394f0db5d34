using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Measures;
using Xinyong.Data.Measures;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Measures;

/// <summary>Lenient rules (seed 001): minor-failing exemptions and force-majeure suspensions, set and revoked by staff.</summary>
public sealed class MeasuresLenientModel(LenientRuleStore store, SubjectStore subjects, MeasureQueries queries) : PageModel
{
    public IReadOnlyList<LenientRuleRow> Rules { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Done { get; private set; }
    public DateOnly Today => queries.Today;

    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? SubjectCode { get; set; }
    [BindProperty] public long? ListEntryId { get; set; }
    [BindProperty] public string? LegalBasis { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public DateOnly? ValidFrom { get; set; }
    [BindProperty] public DateOnly? ValidUntil { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Rules = await store.ListAsync(ct: ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var subject = string.IsNullOrWhiteSpace(SubjectCode) ? null : await subjects.FindByCodeAsync(SubjectCode, ct);
        if (subject is null)
        {
            Error = HttpContext.T("请填写平台中已有主体的统一社会信用代码（或其他代码）。", "Give the code of a subject on the platform.");
        }
        else
        {
            try
            {
                var rule = await store.CreateAsync(new LenientRuleDraft(Kind ?? "", subject.Id, ListEntryId, LegalBasis, Reason, ValidFrom ?? Today, ValidUntil), User.ToActor(), ct);
                Done = HttpContext.T($"已设定规则 #{rule.Id}。", $"Rule #{rule.Id} set.");
                (Kind, SubjectCode, ListEntryId, LegalBasis, Reason, ValidFrom, ValidUntil) = (null, null, null, null, null, null, null);
                ModelState.Clear();
            }
            catch (RefusedException e)
            {
                Error = HttpContext.T(e.Zh, e.En);
            }
        }
        Rules = await store.ListAsync(ct: ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, string? revokeReason, CancellationToken ct)
    {
        try
        {
            await store.RevokeAsync(id, revokeReason, User.ToActor(), ct);
            Done = HttpContext.T($"规则 #{id} 已撤销。", $"Rule #{id} revoked.");
        }
        catch (RefusedException e)
        {
            Error = HttpContext.T(e.Zh, e.En);
        }
        Rules = await store.ListAsync(ct: ct);
        return Page();
    }
}
