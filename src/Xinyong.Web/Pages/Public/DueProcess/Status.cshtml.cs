using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Objections;
using Xinyong.Data.Repair;
using Xinyong.Web.Api;

namespace Xinyong.Web.Pages.Public.DueProcess;

/// <summary>The subject looks up its objection or repair case by reference and the phone number given when filing.</summary>
public sealed class StatusModel(ObjectionStore objections, RepairStore repairs, CaseFiles files) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Reference { get; set; }
    [BindProperty] public string? Phone { get; set; }
    public RepairApi.PublicCaseDto? Case { get; private set; }
    public bool NotFoundCase { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken ct)
    {
        Case = string.IsNullOrWhiteSpace(Reference) ? null : await RepairApi.PublicCaseAsync(Reference, Phone ?? "", objections, repairs, files, ct);
        NotFoundCase = Case is null;
    }
}
