using Microsoft.Playwright;
using Xinyong.Data.Accounts;
using Xinyong.Web.Tests.Commitments;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Browser;

public sealed class CommitmentsBrowserTests
{
    [Fact]
    public async Task Subject_MakesACommitmentOnline_ItAppearsOnItsPublicPage_AndStaffSeeItCounted()
    {
        await using var host = await WebHost.StartAsync(kestrel: true);
        var subject = await CommitmentsApiTests.SubjectAsync(host);
        await host.CreateUserAsync("office1", "correct-horse-1", Roles.Officer, "市信用办");
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(90_000);

        await page.GotoAsync($"{baseUrl}/subjects/{subject}");
        (await page.Locator("#commitments").InnerTextAsync()).ShouldContain("暂无公示中的信用承诺");
        await page.GetByRole(AriaRole.Link, new() { Name = "本主体在线作出信用承诺" }).ClickAsync();
        (await page.GetByLabel("统一社会信用代码").InputValueAsync()).ShouldBe(CommitmentsApiTests.Code);
        await page.GetByLabel("承诺内容").FillAsync("严格遵守食品安全法律法规，诚信经营，自觉接受社会监督。");
        await page.GetByLabel("联系人").FillAsync("王小明");
        await page.GetByLabel("联系电话").FillAsync("13912345678");
        await Chromium.ShotAsync(page, "commitments-01-online-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交承诺" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("同意向社会公示");
        await page.Locator("input[name=Agree]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交承诺" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, new System.Text.RegularExpressions.Regex($"/subjects/{subject}#commitment-\\d+$"));

        var shown = page.Locator(".rec.commitment").First;
        var text = await shown.InnerTextAsync();
        text.ShouldContain("主动型承诺");
        text.ShouldContain("履约中");
        text.ShouldContain("严格遵守食品安全法律法规");
        text.ShouldContain("国办发〔2019〕35号");
        (await page.ContentAsync()).ShouldNotContain("13912345678");
        (await page.Locator("nav.tabs a[href='#commitments'] .c").InnerTextAsync()).ShouldBe("1");
        await Chromium.ShotAsync(page, "commitments-02-subject-page");

        // Staff: the commitment in the list, its history names the website and the contact, the coverage counts it.
        await page.GotoAsync(baseUrl + "/staff/login");
        await page.GetByLabel("用户名").FillAsync("office1");
        await page.GetByLabel("密码").FillAsync("correct-horse-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, baseUrl + "/staff");
        await page.GotoAsync(baseUrl + "/staff/commitments");
        (await page.Locator("table").InnerTextAsync()).ShouldContain("昆山市诚信食品有限公司");
        await Chromium.ShotAsync(page, "commitments-03-staff-list");
        await page.Locator("table a[href^='/staff/commitments/']").First.ClickAsync();
        (await page.Locator("table").InnerTextAsync()).ShouldContain("system:website:" + CommitmentsApiTests.Code + "/王小明");
        await page.Locator("fieldset:has-text('登记违诺嫌疑') textarea[name=note]").FillAsync("群众举报该公司销售过期食品");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记嫌疑" }).ClickAsync();
        (await page.Locator("h1 .badge").InnerTextAsync()).ShouldBe("涉嫌违诺");
        await Chromium.ShotAsync(page, "commitments-04-staff-detail");
        await page.GotoAsync(baseUrl + "/staff/commitments/coverage");
        (await page.Locator("svg.coverage-chart").CountAsync()).ShouldBe(1);
        (await page.Locator("table").First.InnerTextAsync()).ShouldContain("100.0%");
        await Chromium.ShotAsync(page, "commitments-05-coverage");

        // A suspicion is not shown to the public: the commitment is still "in force".
        await page.GotoAsync($"{baseUrl}/subjects/{subject}#commitments");
        (await page.Locator(".rec.commitment").First.InnerTextAsync()).ShouldContain("履约中");

        var phone = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        phone.SetDefaultTimeout(90_000);
        await phone.GotoAsync($"{baseUrl}/subjects/{subject}#commitments");
        (await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1")).ShouldBeFalse("the subject page must fit a phone");
        await Chromium.ShotAsync(phone, "commitments-06-phone-subject");
        await phone.GotoAsync($"{baseUrl}/commitments/new?code={CommitmentsApiTests.Code}");
        (await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1")).ShouldBeFalse("the online form must fit a phone");
        await Chromium.ShotAsync(phone, "commitments-07-phone-form");
        // The signed-in staff page at phone width.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(baseUrl + "/staff/commitments/coverage");
        await Chromium.ShotAsync(page, "commitments-08-phone-coverage");
        await page.GotoAsync(baseUrl + "/staff/commitments");
        await Chromium.ShotAsync(page, "commitments-09-phone-staff-list");
    }
}
