using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Reports;

namespace Xinyong.Web.Pages.Public;

/// <summary>Anyone checks a report: number + content hash (as printed, or from the QR code), or the PDF file itself.</summary>
public sealed class ReportVerifyModel(ReportVerifier verifier) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "no")] public string? Number { get; set; }
    [BindProperty(SupportsGet = true, Name = "h")] public string? Hash { get; set; }

    public ReportVerification? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Number) || !string.IsNullOrWhiteSpace(Hash)) Result = await verifier.VerifyAsync(Number, Hash, ct);
    }

    public async Task OnPostFileAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0 || file.Length > 20 * 1024 * 1024)
        {
            Result = new ReportVerification(VerificationOutcome.UnknownFile);
            return;
        }
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ct);
        Result = await verifier.VerifyPdfAsync(ms.ToArray(), ct);
    }
}
