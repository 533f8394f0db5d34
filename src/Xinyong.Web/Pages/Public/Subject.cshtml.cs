using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Publication;
using Xinyong.Web.Public;

namespace Xinyong.Web.Pages.Public;

/// <summary>A subject's public credit page: registration details, then what is published by national category.</summary>
public sealed class SubjectModel(PublicSite site, PublicRecords records) : PageModel
{
    /// <summary>The subject's commitments on public view (信用承诺).</summary>
    public IReadOnlyList<Xinyong.Data.Commitments.PublicCommitment> Commitments { get; private set; } = [];

    /// <summary>The subject's list entries in force today (shown by _SubjectLists, masked there for natural persons).</summary>
    public IReadOnlyList<Xinyong.Data.Lists.ActiveListEntry> ListEntries { get; private set; } = [];

    public PublicSubject Subject { get; private set; } = default!;
    public DateOnly Today { get; private set; }
    public bool Print { get; private set; }
    public Xinyong.Core.Publication.PublicationRules Rules => site.Rules;

    public async Task<IActionResult> OnGetAsync(long id, string? view, CancellationToken ct)
    {
        Today = site.Today;
        // One command for the subject, its records, commitments and list entries (PublicRecords.SubjectPageAsync).
        var page = await records.SubjectPageAsync(id, Today, ct);
        if (page is null) return NotFound();
        Subject = page.Subject;
        Commitments = page.Commitments;
        ListEntries = page.ListEntries;
        Print = view == "print";
        return Page();
    }
}
