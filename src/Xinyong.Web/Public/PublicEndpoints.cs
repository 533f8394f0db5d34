using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Mvc;
using Xinyong.Data.Publication;
using Xinyong.Data.Search;
using Xinyong.Web.Api;
using Xinyong.Web.Pages;

namespace Xinyong.Web.Public;

/// <summary>
/// The public site's machine-readable surfaces: the JSON API, Atom/RSS feeds and CSV downloads of what is public today.
/// Anonymous, read-only, and built on <see cref="PublicRecords"/> so the same visibility rule applies everywhere.
/// </summary>
internal static class PublicEndpoints
{
    private const int FeedSize = 50;

    public sealed record ColumnDto(string Column, DateOnly Date, int Page, int PageSize, bool HasNext, IReadOnlyList<PublicRecord> Items);

    public static void MapPublicEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/public").WithTags("public").AllowAnonymous();
        api.MapGet("/search", Search).WithSummary("Search by any code or by name (fuzzy, former names), ranked, with the reason each result matched");
        api.MapGet("/subjects/{id:long}", Subject).WithSummary("A subject's public credit information: what is on public view today, and counts of what is not shown").ProducesProblem(404);
        api.MapGet("/{column:regex(^(penalties|licences)$)}", Column).WithSummary("A 双公示 column: records on public view today, newest first, filterable");
        app.MapGet("/feeds/{column:regex(^(penalties|licences)$)}.atom", Atom).WithTags("public").AllowAnonymous();
        app.MapGet("/feeds/{column:regex(^(penalties|licences)$)}.rss", Rss).WithTags("public").AllowAnonymous();
        app.MapGet("/open-data/{column:regex(^(penalties|licences)$)}.csv", Csv).WithTags("public").AllowAnonymous();
    }

    private static async Task<IResult> Search(HttpContext http, [FromQuery] string? q, [FromQuery] int? page, [FromQuery] int? pageSize, SubjectSearch search, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q)) return Problems.Create(http, 400, "query_required", "请用 ?q= 提供名称或代码", "Give a name or code with ?q=");
        var result = await search.SearchAsync(q, Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 20, 1, SubjectSearch.MaxPageSize), ct);
        return Results.Ok(result with { Query = PublicSite.EchoQuery(result.Query) ?? "" });
    }

    private static async Task<IResult> Subject(HttpContext http, long id, PublicSite site, PublicRecords records, CancellationToken ct) =>
        await records.SubjectAsync(id, site.Today, ct) is { } s
            ? Results.Ok(s)
            : Problems.Create(http, 404, "subject_not_found", $"没有编号为 {id} 的主体", $"No subject with id {id}");

    private static async Task<IResult> Column(HttpContext http, string column, PublicSite site, PublicRecords records,
        [FromQuery] long? department, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, [FromQuery] string? kind, [FromQuery] int? page, [FromQuery] int? pageSize,
        CancellationToken ct)
    {
        var type = PublicSite.RecordTypeOf(column)!;
        var result = await records.ColumnAsync(new ColumnQuery(type, site.Today, department, from, to, kind, page ?? 1, pageSize ?? 20), ct);
        return Results.Ok(new ColumnDto(column, site.Today, result.Page, result.PageSize, result.HasNext, result.Items));
    }

    private static async Task Atom(HttpContext http, string column, PublicSite site, PublicRecords records, CancellationToken ct)
    {
        var type = PublicSite.RecordTypeOf(column)!;
        var items = (await records.ColumnAsync(new ColumnQuery(type, site.Today, PageSize: FeedSize), ct)).Items;
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        http.Response.ContentType = "application/atom+xml; charset=utf-8";
        await using var w = XmlWriter.Create(http.Response.Body, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true });
        await w.WriteStartDocumentAsync();
        w.WriteStartElement("feed", "http://www.w3.org/2005/Atom");
        w.WriteAttributeString("xml", "lang", null, "zh-CN");
        w.WriteElementString("title", $"信用昆山 · {PublicText.Column(http, type)}公示");
        w.WriteElementString("id", $"{baseUrl}/feeds/{column}.atom");
        w.WriteElementString("updated", Timestamp(items.Count > 0 ? items[0].DecisionDate : site.Today));
        Link(w, $"{baseUrl}/feeds/{column}.atom", "self");
        Link(w, $"{baseUrl}/publicity/{column}", "alternate");
        w.WriteStartElement("author");
        w.WriteElementString("name", "昆山市公共信用信息平台");
        w.WriteEndElement();
        foreach (var r in items)
        {
            w.WriteStartElement("entry");
            w.WriteElementString("title", $"{r.SubjectName} · {r.DecisionNumber}");
            w.WriteElementString("id", $"{baseUrl}/subjects/{r.SubjectId}#record-{r.RecordId}");
            w.WriteElementString("updated", Timestamp(r.DecisionDate));
            Link(w, $"{baseUrl}/subjects/{r.SubjectId}", "alternate");
            w.WriteElementString("summary", Summary(r));
            w.WriteEndElement();
        }
        w.WriteEndElement();
        await w.WriteEndDocumentAsync();
        await w.FlushAsync();
    }

    private static async Task Rss(HttpContext http, string column, PublicSite site, PublicRecords records, CancellationToken ct)
    {
        var type = PublicSite.RecordTypeOf(column)!;
        var items = (await records.ColumnAsync(new ColumnQuery(type, site.Today, PageSize: FeedSize), ct)).Items;
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        http.Response.ContentType = "application/rss+xml; charset=utf-8";
        await using var w = XmlWriter.Create(http.Response.Body, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true });
        await w.WriteStartDocumentAsync();
        w.WriteStartElement("rss");
        w.WriteAttributeString("version", "2.0");
        w.WriteStartElement("channel");
        w.WriteElementString("title", $"信用昆山 · {PublicText.Column(http, type)}公示");
        w.WriteElementString("link", $"{baseUrl}/publicity/{column}");
        w.WriteElementString("description", "昆山市公共信用信息平台公示中的信息，超过公示期限的不再包含。");
        w.WriteElementString("language", "zh-cn");
        foreach (var r in items)
        {
            w.WriteStartElement("item");
            w.WriteElementString("title", $"{r.SubjectName} · {r.DecisionNumber}");
            w.WriteElementString("link", $"{baseUrl}/subjects/{r.SubjectId}");
            w.WriteStartElement("guid");
            w.WriteAttributeString("isPermaLink", "false");
            w.WriteString($"{baseUrl}/records/{r.RecordId}");
            w.WriteEndElement();
            w.WriteElementString("pubDate", r.DecisionDate.ToDateTime(TimeOnly.MinValue).ToString("ddd, dd MMM yyyy 00:00:00 +0800", CultureInfo.InvariantCulture));
            w.WriteElementString("description", Summary(r));
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        await w.WriteEndDocumentAsync();
        await w.FlushAsync();
    }

    private static async Task Csv(HttpContext http, string column, PublicSite site, PublicRecords records,
        [FromQuery] long? department, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, [FromQuery] string? kind, CancellationToken ct)
    {
        var type = PublicSite.RecordTypeOf(column)!;
        var today = site.Today;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{column}-{PublicText.Date(today)}.csv\"";
        await using var w = new StreamWriter(http.Response.Body, new UTF8Encoding(true), 1 << 16);
        var penalty = type == "penalty";
        string[] header = penalty
            ? ["行政相对人名称", "统一社会信用代码", "法定代表人", "决定文书号", "违法行为类型", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "处罚机关", "决定日期", "失信程度", "公示起始日", "公示截止日", "异议状态"]
            : ["行政相对人名称", "统一社会信用代码", "法定代表人", "许可文书号", "许可文书名称", "许可类别", "许可证书名称", "许可编号", "许可内容", "许可机关", "决定日期", "有效期自", "有效期至", "公示截止日", "异议状态"];
        await w.WriteLineAsync(string.Join(',', header));
        var n = 0;
        await foreach (var r in records.StreamAsync(new ColumnQuery(type, today, department, from, to, kind), ct))
        {
            string?[] cells = penalty
                ? [r.SubjectName, r.Uscc, r.LegalRepresentative, r.DecisionNumber, r.Conduct, r.Basis, r.Kinds, r.Content,
                    r.FineWan?.ToString(CultureInfo.InvariantCulture), r.AuthorityName, PublicText.Date(r.DecisionDate), GradeZh(r.Grade), PublicText.Date(r.PublishFrom), LastDay(r), r.UnderObjection ? "异议中" : ""]
                : [r.SubjectName, r.Uscc, r.LegalRepresentative, r.DecisionNumber, r.DocumentName, r.Kinds, r.LicenceName, r.LicenceNumber, r.Content,
                    r.AuthorityName, PublicText.Date(r.DecisionDate), PublicText.Date(r.ValidFrom), PublicText.Date(r.ValidTo), LastDay(r), r.UnderObjection ? "异议中" : ""];
            await w.WriteLineAsync(string.Join(',', cells.Select(Quote)));
            if (++n % 5000 == 0) await w.FlushAsync(ct);
        }
        await w.FlushAsync(ct);
    }

    private static string? GradeZh(string? grade) => grade is null ? null : Xinyong.Core.Publication.PenaltyGrades.ToChinese(Xinyong.Core.Publication.PenaltyGrades.FromCode(grade));

    private static string LastDay(PublicRecord r) => r.PublishUntil is { } u ? PublicText.Date(u.AddDays(-1)) : "";

    private static string Summary(PublicRecord r) => (r.UnderObjection ? "【异议中】" : "") + (r.RecordType == "penalty"
        ? $"{r.AuthorityName}于{PublicText.Date(r.DecisionDate)}作出处罚（{r.Kinds}）：{r.Content}"
        : $"{r.AuthorityName}于{PublicText.Date(r.DecisionDate)}准予许可：{r.LicenceName ?? r.DocumentName}，{r.Content}");

    private static string Quote(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        // A leading = + - @ would be a formula in a spreadsheet: neutralise it.
        if (s[0] is '=' or '+' or '-' or '@') s = "'" + s;
        return s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    private static string Timestamp(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00+08:00";

    private static void Link(XmlWriter w, string href, string rel)
    {
        w.WriteStartElement("link");
        w.WriteAttributeString("href", href);
        w.WriteAttributeString("rel", rel);
        w.WriteEndElement();
    }
}
