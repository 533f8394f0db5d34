using System.Text.Json;
using Microsoft.Playwright;
using Xinyong.Core.Auditing;
using Xinyong.Core.Checks;
using Xinyong.Data.Accounts;
using Xinyong.Data.Checks;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.DueProcess;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Browser;

/// <remarks>
/// Every step waits for an element that only the next page shows (a locator wait, polled inside the Playwright
/// driver), never with <c>WaitForURLAsync</c> after a click: in Playwright .NET that call checks the current URL and
/// only then subscribes to navigation events delivered on another thread, so a redirect that lands in between is never
/// seen and the wait runs into its timeout (playwright-dotnet issue 3364). That is how the earlier version of this test
/// timed out after the staff sign-in on a busy CI machine.
/// </remarks>
public sealed class DueProcessBrowserTests
{
    private const string OldPenalty = "昆市监罚〔2024〕51号";

    [Fact]
    public async Task Company_AppliesForRepair_DepartmentApproves_PenaltyLeavesPageApiFeedAndChecks()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var host = await WebHost.StartAsync(kestrel: true, clock: clock);
        var (_, recent, subject) = await DueProcessApiTests.LoadAsync(host);
        await host.CreateUserAsync("scjg-officer", "correct-horse-7", Roles.Officer, "市场监管局");
        var code = DueProcessApiTests.Codes[0];
        var checks = host.Get<CheckRunner>();
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        var anonymous = host.CreateClient();

        // Before: the penalty is public everywhere, so the "gone" assertions at the end can fail.
        (await checks.CheckOneAsync("award-review", code, null, "2026年度评优", Actor.SystemActor)).Result.Outcome.ShouldBe(CheckOutcome.NeedsReview);
        (await PublicPenaltiesAsync(anonymous, subject)).ShouldContain(OldPenalty);
        (await anonymous.GetStringAsync("/feeds/penalties.atom")).ShouldContain(OldPenalty);

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await NewPageAsync(browser, 1280, 900);

        // The company finds its penalty and applies for repair from its subject page.
        await page.GotoAsync($"{baseUrl}/subjects/{subject}");
        var penalty = page.Locator(".rec.penalty", new() { HasText = OldPenalty });
        await penalty.WaitForAsync();
        await Chromium.ShotAsync(page, "dueprocess-01-subject");
        await penalty.GetByRole(AriaRole.Link, new() { Name = "申请信用修复" }).ClickAsync();
        await page.Locator("h1", new() { HasText = "信用修复申请" }).WaitForAsync();
        page.Url.ShouldContain($"/subjects/{subject}/repair?record=");
        await page.GetByLabel("统一社会信用代码").FillAsync(code);
        await page.GetByLabel("联系人").FillAsync("陈经理");
        await page.GetByLabel("联系电话").FillAsync("0512-57001234");
        await page.GetByLabel("已纠正失信行为", new() { Exact = false }).CheckAsync();
        await page.GetByLabel("履行情况说明").FillAsync("罚款3万元已于2024年4月1日缴清（缴款书号 3205830000123），涉事食品已全部下架销毁。");
        (await page.GetByLabel("信用承诺书").InputValueAsync()).ShouldContain(OldPenalty);
        await page.GetByLabel("本单位作出上述信用承诺", new() { Exact = false }).CheckAsync();
        await page.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "缴款凭证.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 receipt"u8.ToArray() });
        await Chromium.ShotAsync(page, "dueprocess-02-repair-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        var reference = await page.Locator(".done .ref").InnerTextAsync();
        reference.ShouldStartWith("XF20261120-");
        await Chromium.ShotAsync(page, "dueprocess-03-submitted");

        // Before the minimum period the page gives the date instead of the form.
        await page.GotoAsync($"{baseUrl}/subjects/{await SubjectOfAsync(host, recent)}/repair?record={recent}");
        (await page.Locator(".notice").InnerTextAsync()).ShouldContain("2026-12-01");
        (await page.Locator("form.case-form").CountAsync()).ShouldBe(0);
        await Chromium.ShotAsync(page, "dueprocess-04-too-early");

        // The market supervision officer (the finding department) accepts and approves.
        var staff = await NewPageAsync(browser, 1280, 900);
        await SignInAsync(staff, baseUrl, "scjg-officer", "correct-horse-7");
        await staff.GotoAsync(baseUrl + "/staff/due-process");
        (await staff.Locator("table.queue").InnerTextAsync()).ShouldContain(reference);
        await Chromium.ShotAsync(staff, "dueprocess-05-queue");
        await staff.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await staff.Locator("h1", new() { HasText = reference }).WaitForAsync();
        (await staff.Locator("body").InnerTextAsync()).ShouldContain("缴款凭证.pdf");
        await staff.GetByRole(AriaRole.Button, new() { Name = "受理" }).ClickAsync();
        // 准予修复 exists only on the page the accept answers with, so this click cannot hit the old page.
        await staff.GetByRole(AriaRole.Button, new() { Name = "准予修复" }).ClickAsync();
        await staff.Locator("h1 .flag.ok").WaitForAsync();
        (await staff.Locator("h1").InnerTextAsync()).ShouldContain("准予修复");
        await Chromium.ShotAsync(staff, "dueprocess-06-approved");
        await staff.GotoAsync(baseUrl + "/staff");
        (await staff.Locator(".charts .chart").CountAsync()).ShouldBe(2);
        (await staff.Locator(".dept-chart li", new() { HasText = "市场监管局" }).InnerTextAsync()).ShouldContain("修复 1");
        (await SmallestChartTextPxAsync(staff)).ShouldBeGreaterThanOrEqualTo(12, "chart labels must be readable on a desktop");
        await Chromium.ShotAsync(staff, "dueprocess-07-dashboard");

        // Gone from the public page, the API, the feed and the check results made afterwards.
        await page.GotoAsync($"{baseUrl}/subjects/{subject}");
        (await page.Locator("#main").InnerTextAsync()).ShouldNotContain(OldPenalty);
        await Chromium.ShotAsync(page, "dueprocess-08-subject-after");
        (await PublicPenaltiesAsync(anonymous, subject)).ShouldNotContain(OldPenalty);
        (await anonymous.GetStringAsync("/feeds/penalties.atom")).ShouldNotContain(OldPenalty);
        (await anonymous.GetStringAsync("/open-data/penalties.csv")).ShouldNotContain(OldPenalty);
        (await checks.CheckOneAsync("award-review", code, null, "2026年度评优", Actor.SystemActor)).Result.Outcome.ShouldBe(CheckOutcome.Pass);

        // The company looks its case up.
        await page.GotoAsync($"{baseUrl}/cases?reference={reference}");
        await page.GetByLabel("申请时填写的联系电话").FillAsync("0512-57001234");
        await page.Locator("#main").GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        (await page.Locator(".case-summary").InnerTextAsync()).ShouldContain("停止公示和共享");
        await Chromium.ShotAsync(page, "dueprocess-09-status");

        // On a phone: the objection form and the subject page with its 异议中 flag fit the screen.
        var phone = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        phone.SetDefaultTimeout(90_000);
        var recentSubject = await SubjectOfAsync(host, recent);
        await phone.GotoAsync($"{baseUrl}/subjects/{recentSubject}/objection?record={recent}");
        (await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1")).ShouldBeFalse("the objection form must fit a phone");
        await phone.GetByLabel("统一社会信用代码").FillAsync(DueProcessApiTests.Codes[1]);
        await phone.GetByLabel("联系人").FillAsync("李女士");
        await phone.GetByLabel("联系电话").FillAsync("13800001111");
        await phone.GetByLabel("异议内容和理由").FillAsync("处罚决定日期应为2026年9月10日，不是9月1日。");
        await Chromium.ShotAsync(phone, "dueprocess-10-phone-objection");
        await phone.GetByRole(AriaRole.Button, new() { Name = "提交异议" }).ClickAsync();
        (await phone.Locator(".done .ref").InnerTextAsync()).ShouldStartWith("YY20261120-");
        await phone.GotoAsync($"{baseUrl}/subjects/{recentSubject}");
        (await phone.Locator(".rec.penalty .flag.objection").InnerTextAsync()).ShouldBe("异议中");
        (await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1")).ShouldBeFalse("the subject page must fit a phone");
        await Chromium.ShotAsync(phone, "dueprocess-11-phone-subject-flag");
        await staff.SetViewportSizeAsync(390, 844);
        await staff.GotoAsync(baseUrl + "/staff/due-process");
        // On a phone the queue's rows are cards: each value says what it is (the header row is hidden there).
        (await staff.EvaluateAsync<string>("getComputedStyle(document.querySelector('table.queue td[data-label]:not(:first-child)'), '::before').content"))
            .ShouldBe("\"事项：\"");
        await Chromium.ShotAsync(staff, "dueprocess-12-phone-queue");
        await staff.GotoAsync(baseUrl + "/staff");
        (await SmallestChartTextPxAsync(staff)).ShouldBeGreaterThanOrEqualTo(12, "chart labels must be readable on a phone");
        (await staff.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1")).ShouldBeFalse("the dashboard must fit a phone");
        await Chromium.ShotAsync(staff, "dueprocess-13-phone-dashboard");
    }

    /// <summary>The smallest text in the due-process charts as rendered (CSS size times any SVG scaling), in pixels.</summary>
    private static Task<double> SmallestChartTextPxAsync(IPage page) => page.EvaluateAsync<double>("""
        () => {
          let min = Infinity;
          for (const el of document.querySelectorAll('.charts .chart, .charts .chart *')) {
            if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            if (el.getClientRects().length === 0) continue;
            const scale = el instanceof SVGGraphicsElement ? el.getScreenCTM().a : 1;
            min = Math.min(min, parseFloat(getComputedStyle(el).fontSize) * scale);
          }
          return min === Infinity ? 0 : min;
        }
        """);

    private static async Task<IPage> NewPageAsync(IBrowser browser, int width, int height)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(90_000);
        return page;
    }

    /// <summary>Signs in and waits for what the dashboard shows, or for the error the login page shows instead.</summary>
    private static async Task SignInAsync(IPage page, string baseUrl, string username, string password)
    {
        await page.GotoAsync(baseUrl + "/staff/login");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        var dashboard = page.Locator("h1", new() { HasText = "数据归集概览" });
        var refused = page.Locator(".login [role=alert]");
        await dashboard.Or(refused).First.WaitForAsync();
        if (await refused.CountAsync() > 0) throw new ShouldAssertException("the sign-in was refused: " + string.Join(" ", await refused.AllInnerTextsAsync()));
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/staff");
    }

    private static async Task<List<string>> PublicPenaltiesAsync(HttpClient anonymous, long subject)
    {
        var api = JsonDocument.Parse(await anonymous.GetStringAsync($"/api/v1/public/subjects/{subject}")).RootElement;
        return api.GetProperty("penalties").EnumerateArray().Select(p => p.GetProperty("decisionNumber").GetString() ?? "").ToList();
    }

    private static async Task<long> SubjectOfAsync(WebHost host, long record)
    {
        await using var conn = await host.Get<Xinyong.Data.Database.XinyongDatabase>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, "SELECT subject_id FROM records WHERE id = @record", new { record });
    }
}
