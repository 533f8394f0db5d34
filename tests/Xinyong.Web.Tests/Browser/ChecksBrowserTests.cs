using System.Text;
using Microsoft.Playwright;
using Xinyong.Data.Accounts;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Checks;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Browser;

public sealed class ChecksBrowserTests
{
    [Fact]
    public async Task Officer_UploadsBatchCheck_SeesProgressCountsAndDownloadsResult()
    {
        await using var host = await WebHost.StartAsync(kestrel: true);
        await host.CreateUserAsync("rsj1", "correct-horse-2", Roles.Officer, "人社局");
        var f = await CheckFixture.CreateAsync(host, 51);
        using var dir = new TempDir();
        var input = Path.Combine(dir.Path, "稳岗返还企业名单.csv");
        await File.WriteAllTextAsync(input, $"统一社会信用代码,企业名称\n{f.Serious},{CheckFixture.SeriousName}\n{f.General},{CheckFixture.GeneralName}\n{f.Clean},\n", new UTF8Encoding(false));
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });
        // Generous: the shared 2-core machine runs several builds and test suites at once.
        page.SetDefaultTimeout(120_000);
        page.SetDefaultNavigationTimeout(120_000);
        await page.GotoAsync(baseUrl + "/staff/login");
        await page.GetByLabel("用户名").FillAsync("rsj1");
        await page.GetByLabel("密码").FillAsync("correct-horse-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, baseUrl + "/staff");

        await page.GetByRole(AriaRole.Link, new() { Name = "信用核查" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, baseUrl + "/staff/checks");
        await page.Locator("#purpose-batch").SelectOptionAsync("employment-subsidy");
        await page.Locator("#reference-batch").FillAsync("2026年度稳岗返还（先行兑现）");
        await page.GetByLabel("文件").SetInputFilesAsync(input);
        await Chromium.ShotAsync(page, "checks-01-upload");
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并核查" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, new System.Text.RegularExpressions.Regex("/staff/checks/\\d+$"));
        await page.Locator(".badge.done").WaitForAsync(new() { Timeout = 120_000 });

        (await page.Locator("#k-total").InnerTextAsync()).ShouldBe("3");
        (await page.Locator("#k-fail").InnerTextAsync()).ShouldBe("1");
        (await page.Locator("#k-pass").InnerTextAsync()).ShouldBe("2");
        var table = await page.Locator("#not-passed").InnerTextAsync();
        table.ShouldContain(CheckFixture.SeriousName);
        table.ShouldContain("12个月");
        await Chromium.ShotAsync(page, "checks-02-run");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-xlsx").ClickAsync());
        download.SuggestedFilename.ShouldEndWith("-result.xlsx");
        var saved = Path.Combine(dir.Path, download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        using (var reader = new Core.Ingestion.Sources.XlsxTableReader(File.OpenRead(saved)))
        {
            var outcomes = new List<string?>();
            while (reader.Read()) outcomes.Add(reader.Current[9]);
            outcomes.ShouldBe(["fail", "pass", "pass"]);
        }
        await page.SetViewportSizeAsync(390, 844);
        await Chromium.ShotAsync(page, "checks-03-run-phone");

        // A single check on the same page, by name only.
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(baseUrl + "/staff/checks");
        await page.Locator("#purpose-single").SelectOptionAsync("award-review");
        await page.Locator("#name").FillAsync(CheckFixture.GeneralName);
        await page.GetByRole(AriaRole.Button, new() { Name = "核查", Exact = true }).ClickAsync();
        await page.Locator("#single-result").WaitForAsync();
        (await page.Locator("#outcome").InnerTextAsync()).ShouldBe("需人工复核");
        await Chromium.ShotAsync(page, "checks-04-single");
        (await host.Get<Data.Auditing.AuditLog>().RecentAsync()).ShouldContain(a => a.Action == "check.batch" && a.Actor == "rsj1");
    }
}
