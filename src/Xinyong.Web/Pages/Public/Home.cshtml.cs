using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Articles;
using Xinyong.Data.Publication;
using Xinyong.Web.Public;

namespace Xinyong.Web.Pages.Public;

public sealed class HomeModel(PublicSite site, PublicRecords records, ArticleStore articles) : PageModel
{
    public PublicFigures Figures { get; private set; } = new(0, 0, 0, 0, 0);
    public IReadOnlyList<PublicRecord> LatestPenalties { get; private set; } = [];
    public IReadOnlyList<PublicRecord> LatestLicences { get; private set; } = [];
    public IReadOnlyList<Article> News { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = site.Today;
        Figures = await site.FiguresAsync(ct);
        LatestPenalties = (await records.ColumnAsync(new ColumnQuery("penalty", today, PageSize: 8), ct)).Items;
        LatestLicences = (await records.ColumnAsync(new ColumnQuery("licence", today, PageSize: 8), ct)).Items;
        News = await articles.LatestAsync(6, ct: ct);
    }
}
