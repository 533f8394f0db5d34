using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Articles;

namespace Xinyong.Web.Pages.News;

public sealed class NewsIndexModel(ArticleStore articles) : PageModel
{
    public const int PageSize = 15;

    [BindProperty(SupportsGet = true, Name = "kind")] public string? KindQuery { get; set; }

    public string? Kind { get; private set; }
    public ArticlePage Result { get; private set; } = new([], 0, 1, PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Kind = ArticleText.ParseKind(KindQuery);
        Result = await articles.ListAsync(Kind, ArticleText.PageNumber(Request), PageSize, includeDrafts: false, ct);
    }

    /// <summary>Link to a page of the current column.</summary>
    public string Link(string? kind, int page)
    {
        var parts = new List<string>();
        if (kind is not null) parts.Add("kind=" + kind);
        if (page > 1) parts.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "/news" : "/news?" + string.Join('&', parts);
    }
}
