namespace Xinyong.Web.Api;

/// <summary>RFC 9457 problem details with the message in Chinese and English (detail in the caller's language).</summary>
internal static class Problems
{
    public static IResult Create(HttpContext http, int status, string code, string zh, string en, object? extra = null)
    {
        var english = http.Request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var extensions = new Dictionary<string, object?> { ["code"] = code, ["detailZh"] = zh, ["detailEn"] = en };
        if (extra is not null) extensions["errors"] = extra;
        return Results.Problem(
            statusCode: status,
            title: code,
            detail: english ? en : zh,
            type: $"https://xinyong.example/problems/{code}",
            extensions: extensions);
    }

    public static IResult NotFound(HttpContext http, string zh, string en) => Create(http, StatusCodes.Status404NotFound, "not_found", zh, en);

    public static IResult Forbidden(HttpContext http) =>
        Create(http, StatusCodes.Status403Forbidden, "forbidden", "无权访问其他单位的数据", "You may only access your own department's data");
}
