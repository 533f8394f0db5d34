using Microsoft.Playwright;
using Xinyong.Data.Accounts;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using Xinyong.Web.Tests.Lists;

namespace Xinyong.Web.Tests.Browser;

public sealed class ListsBrowserTests
{
    private static async Task ShotsAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(1280, 900);
        await Chromium.ShotAsync(page, name);
        await page.SetViewportSizeAsync(390, 844);
        await Chromium.ShotAsync(page, name + "-phone");
        await page.SetViewportSizeAsync(1280, 900);
    }

    [Fact]
    public async Task Designation_ProposalNoticeWindowDecisionPublication_VisibleOnPublicSite_ThenExit_GoneFromBoth()
    {
        var clock = new FakeClock(ListsHttp.Friday);
        await using var host = await WebHost.StartAsync(kestrel: true, clock: clock);
        await host.CreateUserAsync("officer-scjg", "correct-horse-1", Roles.Officer, "市场监管局");
        const string name = "昆山市味美食品有限公司";
        const string code = "91320583MA1K314J7T";
        var subject = await ListsHttp.SubjectAsync(host, name, uscc: code);
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        async Task SignInAsync()
        {
            // Moving the fake clock days ahead also expires the sign-in cookie (8 hours), as it would in real life.
            await page.GotoAsync(baseUrl + "/staff/login");
            await page.GetByLabel("用户名").FillAsync("officer-scjg");
            await page.GetByLabel("密码").FillAsync("correct-horse-1");
            await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
            await Chromium.WaitForUrlAsync(page, baseUrl + "/staff");
        }
        await SignInAsync();

        // Proposal: refused without a legal basis, accepted with one.
        await page.GotoAsync(baseUrl + "/staff/lists/new");
        await page.Locator("#ListType").SelectOptionAsync("serious-dishonesty-market");
        await page.Locator("#SubjectCode").FillAsync(code);
        await page.Locator("#Grounds").FillAsync("生产销售不符合食品安全标准的食品，货值金额较大，情节严重");
        await page.Locator("#Evidence").FillAsync("昆市监处罚〔2026〕118号");
        await page.GetByRole(AriaRole.Button, new() { Name = "提出" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("依据");
        await page.Locator("#LegalBasis").FillAsync("《市场监督管理严重违法失信名单管理办法》第二条");
        await ShotsAsync(page, "lists-01-propose");
        await page.GetByRole(AriaRole.Button, new() { Name = "提出" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, new System.Text.RegularExpressions.Regex("/staff/lists/\\d+$"));
        var entryUrl = page.Url;
        (await page.Locator("#entry-status").InnerTextAsync()).ShouldBe("已提出");

        // Notice: the objection window runs five working days; a decision inside it is refused with the date.
        await page.Locator("#step-notice").ClickAsync();
        (await page.Locator("#entry-status").InnerTextAsync()).ShouldBe("已告知");
        (await page.ContentAsync()).ShouldContain("2026-11-27");
        await page.Locator("#decision-number").FillAsync("昆市监信决〔2026〕1号");
        await page.Locator("#step-decide").ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("异议期至 2026-11-27 届满");
        await ShotsAsync(page, "lists-02-window-open");
        (await page.Locator("#entry-status").InnerTextAsync()).ShouldBe("已告知");

        // After the window: record it, decide, publish.
        clock.Now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8));
        await SignInAsync();
        await page.GotoAsync(entryUrl);
        await page.Locator("textarea[name=text]").FillAsync("当事人未提出陈述申辩");
        await page.Locator("#step-close").ClickAsync();
        await page.Locator("#decision-number").FillAsync("昆市监信决〔2026〕1号");
        await page.Locator("#step-decide").ClickAsync();
        (await page.Locator("#entry-status").InnerTextAsync()).ShouldBe("已决定");
        await page.Locator("#step-publish").ClickAsync();
        (await page.Locator("#entry-status").InnerTextAsync()).ShouldBe("已公布");
        (await page.ContentAsync()).ShouldContain("2029-11-29");
        await ShotsAsync(page, "lists-03-published");
        await page.GotoAsync(baseUrl + "/staff/lists");
        (await page.Locator("table.entries").InnerTextAsync()).ShouldContain(name);
        await ShotsAsync(page, "lists-04-workbench");

        // Public: the black column and the subject page show it, with basis, period and remedies.
        var visitor = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await visitor.GotoAsync(baseUrl + "/lists/black");
        (await visitor.Locator("table.list-entries").InnerTextAsync()).ShouldContain(name);
        await ShotsAsync(visitor, "lists-05-public-black");
        await visitor.GotoAsync($"{baseUrl}/subjects/{subject}");
        var lists = await visitor.Locator("#lists").InnerTextAsync();
        lists.ShouldContain("市场监督管理严重违法失信名单");
        lists.ShouldContain("《市场监督管理严重违法失信名单管理办法》第二条");
        lists.ShouldContain("2026-11-30");
        lists.ShouldContain("行政复议");
        await ShotsAsync(visitor, "lists-06-public-subject");

        // Exit: gone from both at once.
        clock.Now = new DateTimeOffset(2027, 12, 6, 9, 0, 0, TimeSpan.FromHours(8));
        await SignInAsync();
        await page.GotoAsync(entryUrl);
        await page.Locator("#exit-note").FillAsync("已履行处罚义务并纠正违法行为");
        await page.Locator("#step-exit").ClickAsync();
        (await page.Locator("#entry-status").InnerTextAsync()).ShouldBe("已移出");
        await visitor.GotoAsync(baseUrl + "/lists/black");
        (await visitor.ContentAsync()).ShouldNotContain(name);
        await visitor.GotoAsync($"{baseUrl}/subjects/{subject}");
        (await visitor.Locator("#lists").InnerTextAsync()).ShouldContain("不在本平台公示的任何名单中");

        await page.GotoAsync(baseUrl + "/staff/lists/import");
        await ShotsAsync(page, "lists-07-import");
        await page.GotoAsync(baseUrl + "/staff/lists/cards");
        await ShotsAsync(page, "lists-08-cards");
    }
}
