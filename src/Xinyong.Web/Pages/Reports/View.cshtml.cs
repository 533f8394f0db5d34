using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Reports;
using Xinyong.Web.Reports;

namespace Xinyong.Web.Pages.Reports;

/// <summary>An issued report as a web page: the same template as the PDF, for the applicant (token) or the credit office.</summary>
public sealed class ViewModel(ReportStore store, ReportService reports) : PageModel
{
    public string Html { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string number, [FromQuery(Name = "t")] string? token, CancellationToken ct)
    {
        var report = await store.GetAsync(number, ct);
        if (report is null || !await reports.MayReadAsync(report, User, token, ct)) return NotFound();
        var html = await reports.HtmlAsync(report, Request);
        var t = Uri.EscapeDataString(token ?? "");
        var bar = $"""<nav class="screen-bar screen-only"><a href="/api/v1/reports/{report.Number}/pdf?token={t}">下载PDF（原件）</a><a href="#" onclick="window.print();return false">打印</a><a href="/reports/verify">信用报告核验</a></nav>""";
        Html = html.Replace("<body class=\"report\">", "<body class=\"report\">" + bar, StringComparison.Ordinal);
        return Page();
    }
}
