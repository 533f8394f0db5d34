using System.Globalization;
using System.Text.Encodings.Web;

namespace Xinyong.Web.Reports;

/// <summary>SVG bits Razor cannot write as markup (its &lt;text&gt; tag is reserved).</summary>
public static class Svg
{
    public static string Text(double x, double y, string anchor, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"10\" text-anchor=\"{anchor}\" fill=\"#555\">{HtmlEncoder.Default.Encode(text)}</text>");
}
