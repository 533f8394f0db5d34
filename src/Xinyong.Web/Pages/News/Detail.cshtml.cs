using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Articles;

namespace Xinyong.Web.Pages.News;

public sealed class NewsDetailModel(ArticleStore articles) : PageModel
{
    public Article Article { get; private set; } = default!;
    public IReadOnlyList<Article> Related { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        // Drafts and withdrawn articles do not exist for the public.
        if (await articles.GetAsync(id, ct) is not { IsPublished: true } article) return NotFound();
        Article = article;
        Related = (await articles.LatestAsync(6, article.Kind, ct)).Where(a => a.Id != id).Take(5).ToList();
        return Page();
    }
}
