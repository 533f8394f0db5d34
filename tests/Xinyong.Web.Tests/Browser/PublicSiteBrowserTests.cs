using Microsoft.Playwright;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using Xinyong.Web.Tests.Public;

namespace Xinyong.Web.Tests.Browser;

public sealed class PublicSiteBrowserTests
{
    [Fact]
    public async Task Citizen_SearchesWithATypo_FindsTheCompany_AndSeesItsPublishedPenalty()
    {
        var clock = new FakeClock(new DateTimeOffset(2027, 2, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var host = await WebHost.StartAsync(kestrel: true, clock: clock);
        await PublicSiteTests.LoadAsync(host);
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(90_000);

        await page.GotoAsync(baseUrl + "/");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("跳到正文");
        await Chromium.ShotAsync(page, "public-01-home");

        // 械 mistyped as 戒, and the company form left out.
        await page.GetByLabel("名称或代码").FillAsync("昆山精密机戒");
        await page.Locator(".hero button[type=submit]").ClickAsync();
        await Chromium.WaitForUrlAsync(page, new System.Text.RegularExpressions.Regex("/search\\?q="));
        var first = page.Locator("article.result").First;
        (await first.Locator("h2").InnerTextAsync()).ShouldBe("昆山精密机械有限公司");
        (await first.Locator(".why").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
        await Chromium.ShotAsync(page, "public-02-search-typo");

        await first.Locator("h2 a").ClickAsync();
        await Chromium.WaitForUrlAsync(page, new System.Text.RegularExpressions.Regex("/subjects/\\d+$"));
        var penalty = page.Locator(".rec.penalty").First;
        (await penalty.InnerTextAsync()).ShouldContain("昆市监罚〔2024〕88号");
        (await penalty.InnerTextAsync()).ShouldContain("公示期：2024-03-15 至 2027-03-14");
        (await penalty.InnerTextAsync()).ShouldContain("《失信行为纠正后的信用信息修复管理办法（试行）》");
        await Chromium.ShotAsync(page, "public-03-subject");

        await page.GotoAsync(baseUrl + "/publicity/penalties");
        (await page.Locator("table.records").InnerTextAsync()).ShouldContain("昆山精密机械有限公司");
        await Chromium.ShotAsync(page, "public-04-penalties");
        await page.GotoAsync(baseUrl + "/about/publicity-rules");
        await Chromium.ShotAsync(page, "public-05-rules");

        // The same on a phone.
        var phone = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        phone.SetDefaultTimeout(90_000);
        await phone.GotoAsync(baseUrl + "/search?q=昆山精密机戒");
        (await phone.Locator("article.result h2").First.InnerTextAsync()).ShouldBe("昆山精密机械有限公司");
        var overflow = await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        overflow.ShouldBeFalse("the search page must not scroll sideways on a phone");
        await Chromium.ShotAsync(phone, "public-06-phone-search");
        await phone.GotoAsync(baseUrl + "/publicity/penalties");
        (await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1")).ShouldBeFalse("the penalties column must fit a phone");
        await Chromium.ShotAsync(phone, "public-07-phone-penalties");
        await phone.Locator("a[href^='/subjects/']").First.ClickAsync();
        await Chromium.ShotAsync(phone, "public-08-phone-subject");
    }
}
