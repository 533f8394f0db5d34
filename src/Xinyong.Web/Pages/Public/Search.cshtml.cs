using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Search;

namespace Xinyong.Web.Pages.Public;

/// <summary>Public search by any code or by name (fuzzy, former names), ranked, with the reason each result matched.</summary>
public sealed class SearchModel(SubjectSearch search) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public SubjectSearchResult? Result { get; private set; }

    /// <summary>The query as echoed back (a resident ID number masked).</summary>
    public string? Shown { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Shown = Xinyong.Web.Public.PublicSite.EchoQuery(Q);
        ViewData["Query"] = Shown;
        if (string.IsNullOrWhiteSpace(Q)) return;
        var result = await search.SearchAsync(Q, Math.Max(1, PageNumber), PageSize, ct);
        Result = result with { Query = Shown ?? "" };
    }

    public string PageLink(int page) => $"/search?q={Uri.EscapeDataString(Q ?? "")}&page={page}";
}
