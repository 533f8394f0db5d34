using System.Globalization;
using Xinyong.Data.Articles;

namespace Xinyong.Web.Pages.News;

/// <summary>Wording of the article pages (public and staff): column names, states, dates, messages.</summary>
public static class ArticleText
{
    public static string Kind(HttpContext http, string? kind) => kind switch
    {
        ArticleKinds.News => http.T("信用动态", "News"),
        ArticleKinds.Policy => http.T("政策法规", "Policies"),
        ArticleKinds.Notice => http.T("通知公告", "Notices"),
        _ => http.T("全部", "All"),
    };

    public static string Status(HttpContext http, string status) => status switch
    {
        ArticleStatus.Draft => http.T("草稿", "Draft"),
        ArticleStatus.Published => http.T("已发布", "Published"),
        ArticleStatus.Withdrawn => http.T("已撤回", "Withdrawn"),
        _ => status,
    };

    public static string Date(DateOnly? d) => d is { } x ? x.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    /// <summary>A stored timestamp (UTC) in China time.</summary>
    public static string Time(DateTime utc) => utc.AddHours(8).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"user:admin" → "admin": the name, without the actor kind.</summary>
    public static string Who(string actor) => actor.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? actor[(i + 1)..] : actor;

    public static string Message(HttpContext http, ArticleError error) => http.T(error.Zh, error.En);

    /// <summary>
    /// The page number in ?page=, read from the query string itself: "page" is also the route value Razor Pages uses
    /// for the page's path, which wins over the query string in model binding.
    /// </summary>
    public static int PageNumber(HttpRequest request) =>
        int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    /// <summary>A kind from the query string, or null for "all" (unknown values are treated as all).</summary>
    public static string? ParseKind(string? kind) => ArticleKinds.IsKnown(kind) ? kind : null;
}
