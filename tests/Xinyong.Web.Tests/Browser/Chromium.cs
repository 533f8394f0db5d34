using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Xinyong.Web.Tests.Browser;

/// <summary>Debian's Chromium driven by Playwright (Playwright's own browser download cannot work here).</summary>
public static class Chromium
{
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("XINYONG_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return (playwright, browser);
    }

    /// <summary>Saves a screenshot when XINYONG_SCREENSHOTS names a folder (for people to look at the pages).</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("XINYONG_SCREENSHOTS");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    /// <summary>
    /// Waits until the page's address is <paramref name="url"/>, by polling it. Playwright .NET's WaitForURLAsync checks
    /// the current address and only then subscribes to navigations, so a redirect landing in between is never seen and
    /// the wait runs into its timeout (playwright-dotnet issue 3364); it also waits for the load event, which can be
    /// missed the same way. Locator calls after this wait for their elements themselves.
    /// </summary>
    public static Task WaitForUrlAsync(IPage page, string url) => WaitForUrlAsync(page, u => u == url, url);

    /// <inheritdoc cref="WaitForUrlAsync(IPage, string)"/>
    public static Task WaitForUrlAsync(IPage page, Regex url) => WaitForUrlAsync(page, url.IsMatch, url.ToString());

    private static async Task WaitForUrlAsync(IPage page, Func<string, bool> matches, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!matches(page.Url))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The page stayed at {page.Url}; expected {expected}.");
            await Task.Delay(50);
        }
    }
}
