namespace Xinyong.Web.Pages;

/// <summary>UI language: Simplified Chinese by default, English when the "lang" cookie or ?lang=en says so.</summary>
public static class Lang
{
    public static bool IsEnglish(HttpContext http)
    {
        var q = http.Request.Query["lang"].ToString();
        if (q.Length > 0) return q.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        return http.Request.Cookies["lang"] == "en";
    }

    public static string T(this HttpContext http, string zh, string en) => IsEnglish(http) ? en : zh;
}
