using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Search;

namespace Xinyong.Web.Pages.Public;

/// <summary>Public search by any code or by name (fuzzy, former names), ranked, with the reason each result matched.</summary>
public sealed class SearchModel(SubjectSearch search) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    /// <summary>From ?page= (read directly: Razor Pages' own "page" route value would shadow a bound property).</summary>
    public int PageNumber { get; private set; } = 1;

    public SubjectSearchResult? Result { get; private set; }

    /// <summary>The query as echoed back (a resident ID number masked).</summary>
    public string? Shown { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = int.TryParse(Request.Query["page"], out var requested) && requested > 0 ? requested : 1;
        Shown = Xinyong.Web.Public.PublicSite.EchoQuery(Q);
        ViewData["Query"] = Shown;
        if (string.IsNullOrWhiteSpace(Q)) return;
        var result = await search.SearchAsync(Q, Math.Max(1, PageNumber), PageSize, ct);
        Result = result with { Query = Shown ?? "" };
    }

    public string PageLink(int page) => $"/search?q={Uri.EscapeDataString(Q ?? "")}&page={page}";
}
