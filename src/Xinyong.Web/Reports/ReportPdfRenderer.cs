using System.Text.Encodings.Web;
using Microsoft.Playwright;
using Xinyong.Core.Reports;
using Xinyong.Data.Reports;

namespace Xinyong.Web.Reports;

/// <summary>
/// Renders reports: the Razor template to HTML, and that HTML to PDF by headless Chromium (Debian's /usr/bin/chromium,
/// or Reports:Chromium / XINYONG_CHROMIUM). One browser is started on first use and shared; each report gets its own page.
/// </summary>
public sealed class ReportPdfRenderer(RazorHtml razor, IWebHostEnvironment env, IConfiguration configuration, ILogger<ReportPdfRenderer> log)
    : IReportRenderer, IAsyncDisposable
{
    public const string TemplatePath = "/Pages/Reports/_ReportDocument.cshtml";

    private readonly SemaphoreSlim _launch = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _css;

    /// <summary>Base of the public site for the verification link; the request's own origin when not configured.</summary>
    public string? PublicBaseUrl { get; set; } = configuration["Reports:PublicBaseUrl"];

    public async Task<string> RenderHtmlAsync(ReportContent content, string contentSha256, string baseUrl)
    {
        var url = ReportDocument.VerifyLink(PublicBaseUrl ?? baseUrl, content.Number, contentSha256);
        return await razor.RenderAsync(TemplatePath, new ReportDocument(content, contentSha256, url, ReportDocument.Qr(url), await CssAsync()));
    }

    public Task<byte[]> RenderPdfAsync(ReportContent content, CancellationToken ct = default) => RenderPdfAsync(content, PublicBaseUrl ?? "http://localhost", ct);

    public async Task<byte[]> RenderPdfAsync(ReportContent content, string baseUrl, CancellationToken ct = default)
    {
        var hash = CanonicalJson.Sha256Hex(CanonicalJson.Serialize(content));
        var html = await RenderHtmlAsync(content, hash, baseUrl);
        var browser = await BrowserAsync();
        var page = await browser.NewPageAsync();
        try
        {
            await page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
            var number = HtmlEncoder.Default.Encode(content.Number);
            return await page.PdfAsync(new PagePdfOptions
            {
                Format = "A4",
                PrintBackground = true,
                PreferCSSPageSize = true,
                DisplayHeaderFooter = true,
                HeaderTemplate = "<span></span>",
                FooterTemplate = $"""<div style="width:100%;font-size:8pt;color:#555;text-align:center;font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif">报告编号 {number} · 第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>""",
                Margin = new Margin { Top = "18mm", Bottom = "20mm", Left = "18mm", Right = "18mm" },
            });
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private async Task<string> CssAsync()
    {
        if (_css is not null) return _css;
        var file = env.WebRootFileProvider.GetFileInfo("css/report.css");
        await using var s = file.CreateReadStream();
        using var r = new StreamReader(s);
        return _css = await r.ReadToEndAsync();
    }

    private async Task<IBrowser> BrowserAsync()
    {
        if (_browser is { IsConnected: true } b) return b;
        await _launch.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true } again) return again;
            var path = configuration["Reports:Chromium"] ?? Environment.GetEnvironmentVariable("XINYONG_CHROMIUM") ?? "/usr/bin/chromium";
            _playwright ??= await Playwright.CreateAsync();
            log.LogInformation("Starting Chromium {Path} for report PDFs", path);
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return _browser;
        }
        finally
        {
            _launch.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        _launch.Dispose();
    }
}
