using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Reports;
using Xinyong.Data.Reports;

namespace Xinyong.Web.Pages.Public;

/// <summary>The applicant follows a request with its reference and token, and downloads the report once issued.</summary>
public sealed class ReportStatusModel(ReportStore store) : PageModel
{
    public ReportRequestSnapshot? Application { get; private set; }
    public string Token { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string reference, [FromQuery(Name = "t")] string? token, CancellationToken ct)
    {
        Application = await store.FindRequestAsync(reference, token, ct);
        if (Application is null) return NotFound();
        Token = token!.Trim();
        return Page();
    }
}
