using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Articles;
using Xinyong.Web.Auth;
using Xinyong.Web.Pages.News;

namespace Xinyong.Web.Pages.Staff.Articles;

/// <summary>The credit office's list of news, policies and notices in every state. Administrators only.</summary>
public sealed class ArticlesIndexModel(ArticleStore articles) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "kind")] public string? KindQuery { get; set; }

    public string? Kind { get; private set; }
    public ArticlePage Result { get; private set; } = new([], 0, 1, PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsAdmin()) return Forbid();
        Kind = ArticleText.ParseKind(KindQuery);
        Result = await articles.ListAsync(Kind, ArticleText.PageNumber(Request), PageSize, includeDrafts: true, ct);
        return Page();
    }

    public string Link(string? kind, int page)
    {
        var parts = new List<string>();
        if (kind is not null) parts.Add("kind=" + kind);
        if (page > 1) parts.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "/staff/articles" : "/staff/articles?" + string.Join('&', parts);
    }
}
