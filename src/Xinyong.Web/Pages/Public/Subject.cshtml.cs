using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Publication;
using Xinyong.Web.Public;

namespace Xinyong.Web.Pages.Public;

/// <summary>A subject's public credit page: registration details, then what is published by national category.</summary>
public sealed class SubjectModel(PublicSite site, PublicRecords records, Xinyong.Data.Commitments.PublicCommitments commitments) : PageModel
{
    /// <summary>The subject's commitments on public view (信用承诺).</summary>
    public IReadOnlyList<Xinyong.Data.Commitments.PublicCommitment> Commitments { get; private set; } = [];

    public PublicSubject Subject { get; private set; } = default!;
    public DateOnly Today { get; private set; }
    public bool Print { get; private set; }
    public Xinyong.Core.Publication.PublicationRules Rules => site.Rules;

    public async Task<IActionResult> OnGetAsync(long id, string? view, CancellationToken ct)
    {
        Today = site.Today;
        var subject = await records.SubjectAsync(id, Today, ct);
        if (subject is null) return NotFound();
        Subject = subject;
        Commitments = await commitments.ForSubjectAsync(id, Today, ct);
        Print = view == "print";
        return Page();
    }
}
