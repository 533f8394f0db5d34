using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;

namespace Xinyong.Web.Reports;

/// <summary>
/// Chinese line breaking for the report template: a document number (国办发〔2020〕42号, 国家税务总局公告2014年第40号) or a
/// date (2026年11月20日) is one unit and must not be split across lines, which the browser otherwise does between any two
/// characters. Only the rendering changes; the content (and its hash) stays as issued.
/// </summary>
public static partial class ReportTypesetting
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static IHtmlContent Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return HtmlString.Empty;
        var html = new HtmlContentBuilder();
        var at = 0;
        foreach (Match m in Unit().Matches(text))
        {
            if (m.Index > at) html.Append(text[at..m.Index]);
            html.AppendHtml($"<span class=\"nw\">{Encoder.Encode(m.Value)}</span>");
            at = m.Index + m.Length;
        }
        if (at < text.Length) html.Append(text[at..]);
        return html;
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}{0,6}〔\d{4}〕\d+号|\d{4}年第\d+号|\d{4}年\d{1,2}月(?:\d{1,2}日)?")]
    private static partial Regex Unit();
}
