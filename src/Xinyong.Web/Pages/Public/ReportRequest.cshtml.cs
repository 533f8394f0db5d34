using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Auditing;
using Xinyong.Core.Reports;
using Xinyong.Data.Reports;

namespace Xinyong.Web.Pages.Public;

/// <summary>A subject asks for a credit report online: credit code, applicant, contact, kind (and field) of report.</summary>
public sealed class ReportRequestModel(ReportStore store, ReportPurposeCatalogue purposes) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? Kind { get; set; } = ReportKinds.Public;
    [BindProperty] public string? PurposeId { get; set; }
    [BindProperty] public string? ApplicantName { get; set; }
    [BindProperty] public string? Contact { get; set; }
    [BindProperty] public string? Usage { get; set; }

    public IReadOnlyList<ReportPurpose> Purposes { get; private set; } = [];
    public ReportRefusal? Refusal { get; private set; }
    public OpenedRequest? Opened { get; private set; }

    public void OnGet([FromQuery] string? code, [FromQuery] string? purpose)
    {
        Purposes = purposes.InForce(store.Today);
        Code ??= code;
        if (purpose is not null) { Kind = ReportKinds.Purpose; PurposeId = purpose; }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Purposes = purposes.InForce(store.Today);
        try
        {
            Opened = await store.RequestAsync(new ReportApplication(Code ?? "", Kind ?? ReportKinds.Public, PurposeId, ApplicantName ?? "", Contact ?? "", Usage ?? ""),
                new Actor(ActorKind.System, "public-site"), ct);
        }
        catch (ReportRefusedException e)
        {
            Refusal = e.Refusal;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }
}
