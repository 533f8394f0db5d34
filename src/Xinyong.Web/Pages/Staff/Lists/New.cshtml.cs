using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Lists;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Lists;

/// <summary>Propose a listing: the type, the subject by code, the facts, the evidence and the legal basis.</summary>
public sealed class NewListEntryModel(ListStore store, DepartmentStore departments, SubjectStore subjects) : PageModel
{
    public IReadOnlyList<ListType> Types { get; private set; } = [];
    public IReadOnlyList<Department> AllDepartments { get; private set; } = [];
    [BindProperty] public string? ListType { get; set; }
    [BindProperty] public string? SubjectCode { get; set; }
    [BindProperty] public string? Department { get; set; }
    [BindProperty] public string? Grounds { get; set; }
    [BindProperty] public string? Evidence { get; set; }
    [BindProperty] public string? LegalBasis { get; set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? type, string? subject, CancellationToken ct)
    {
        ListType = type;
        SubjectCode = subject;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var subject = string.IsNullOrWhiteSpace(SubjectCode) ? null : await subjects.FindByCodeAsync(SubjectCode, ct);
        if (subject is null)
        {
            Error = HttpContext.T("请填写平台中已有主体的统一社会信用代码或身份证件号码。", "Enter the credit code or ID number of a subject known to the platform.");
            return Page();
        }
        long dept = 0;
        if (User.IsAdmin() && !string.IsNullOrWhiteSpace(Department)) dept = (await departments.FindAsync(Department, ct))?.Id ?? 0;
        try
        {
            var e = await store.ProposeAsync(new ListProposal(ListType ?? "", subject.Id, dept, Grounds, Evidence, LegalBasis), User.ToActor(), ct);
            return Redirect($"/staff/lists/{e.Id}");
        }
        catch (ListRefusedException ex)
        {
            Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        AllDepartments = await departments.ListAsync(ct);
        var own = AllDepartments.FirstOrDefault(d => d.Id == User.DepartmentId())?.Code;
        // Only the types this department designates through the platform's own procedure.
        Types = store.Types.InForce(store.Today).Where(t => own is null ? User.IsAdmin() : t.MayBeDesignatedBy(own)).ToList();
    }
}
