using Microsoft.Playwright;
using Xinyong.Data.Accounts;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Browser;

public sealed class StaffUploadBrowserTests
{
    [Fact]
    public async Task Officer_SignsInAndUploadsFile_SeesCountsRejectsAndCanDownloadThem()
    {
        await using var host = await WebHost.StartAsync(kestrel: true);
        await host.CreateUserAsync("officer1", "correct-horse-1", Roles.Officer, "市场监管局");
        var codes = PenaltyFile.Codes(3, seed: 31);
        using var dir = new TempDir();
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("昆山精密机械有限公司", codes[0], "昆市监处罚〔2026〕101号"))
            .Add(PenaltyFile.Row("昆山物流有限公司", codes[1], "昆市监处罚〔2026〕102号", date: "2026-13-01"))
            .WriteCsv(dir.Path, name: "十一月处罚.csv");
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });

        await page.GotoAsync(baseUrl + "/staff");
        page.Url.ShouldContain("/staff/login");
        await Chromium.ShotAsync(page, "01-login");
        await page.GetByLabel("用户名").FillAsync("officer1");
        await page.GetByLabel("密码").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("不正确");
        await page.GetByLabel("用户名").FillAsync("officer1");
        await page.GetByLabel("密码").FillAsync("correct-horse-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, baseUrl + "/staff");

        await page.GotoAsync(baseUrl + "/staff/submissions/new");
        (await page.ContentAsync()).ShouldContain("市场监管局");
        await page.GetByLabel("数据类型").SelectOptionAsync("penalty");
        await page.GetByLabel("文件").SetInputFilesAsync(file);
        await Chromium.ShotAsync(page, "02-upload");
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并校验" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, new System.Text.RegularExpressions.Regex("/staff/submissions/\\d+$"));
        await page.Locator(".badge.completed").WaitForAsync(new() { Timeout = 20000 });

        (await page.Locator("#k-accepted").InnerTextAsync()).ShouldBe("1");
        (await page.Locator("#k-rejected").InnerTextAsync()).ShouldBe("1");
        var table = await page.Locator("table").Last.InnerTextAsync();
        table.ShouldContain("CF_JDRQ");
        table.ShouldContain("2026-13-01");
        await Chromium.ShotAsync(page, "03-submission");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-rejects").ClickAsync());
        download.SuggestedFilename.ShouldEndWith("-rejects.xlsx");
        var saved = Path.Combine(dir.Path, download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        using (var reader = new Core.Ingestion.Sources.XlsxTableReader(File.OpenRead(saved)))
        {
            reader.Read().ShouldBeTrue();
            reader.Current[1].ShouldBe("CF_JDRQ");
        }

        await page.GotoAsync(baseUrl + "/staff");
        (await page.ContentAsync()).ShouldContain("市场监管局");
        await Chromium.ShotAsync(page, "04-dashboard");
        await page.GotoAsync(baseUrl + "/staff/subjects?q=" + Uri.EscapeDataString("昆山 精密机械"));
        await page.SetViewportSizeAsync(390, 844);
        await Chromium.ShotAsync(page, "05-subjects-phone");

        // The officer's own audit trail: the upload is attributed to the person.
        var audit = await host.Get<Data.Auditing.AuditLog>().RecentAsync();
        audit.ShouldContain(a => a.Action == "submission.create" && a.Actor == "officer1" && a.ActorKind == "user");
    }
}
