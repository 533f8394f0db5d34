using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Browser;
using static Xinyong.Web.Tests.Measures.MeasuresWebFixture;

namespace Xinyong.Web.Tests.Measures;

public sealed class MeasuresPagesBrowserTests
{
    [Fact]
    public async Task StaffPages_CatalogueFeedbackChartQueryReportAndLenientRule_WorkOnDesktopAndPhone()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var host = await StartAsync(kestrel: true, clock: clock);
        var u1 = Code(51);
        var u2 = Code(52);
        var c1 = await SubjectAsync(host, "昆山某某建材有限公司", u1);
        var c2 = await SubjectAsync(host, "昆山某某口罩有限公司", u2);
        await DefaulterAsync(host, c1, "（2026）苏0583执51号", new DateOnly(2026, 10, 9));
        await DefaulterAsync(host, c2, "（2026）苏0583执52号", new DateOnly(2026, 10, 9));
        var finance = await host.TokenClientAsync("财政局");
        var housing = await host.TokenClientAsync("住建局");
        async Task<long> AskAsync(HttpClient c, string matter, string code) =>
            (await (await c.PostAsJsonAsync("/api/v1/measures/queries", new { matterKind = matter, matterRef = "KS-" + code[^4..], subjectCode = code }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var answered = await AskAsync(finance, "subsidy", u1);
        (await finance.PostAsJsonAsync($"/api/v1/measures/queries/{answered}/feedback",
            new { reports = new[] { new { measureId = "P-SUB-01", applied = true, action = "不予安排稳岗返还资金" } } })).EnsureSuccessStatusCode();
        var overdue = await AskAsync(housing, "bidding", u2);
        clock.Now = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));
        var open = await AskAsync(finance, "procurement", u2);
        clock.Now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(8));
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        foreach (var (width, suffix) in new[] { (1280, "desktop"), (390, "phone") })
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            var page = await context.NewPageAsync();
            await SignInAsync(page, baseUrl, "admin");

            await page.GotoAsync(baseUrl + "/staff/measures");
            var catalogue = await page.Locator("table.measures").InnerTextAsync();
            catalogue.ShouldContain("P-CONS-01");
            catalogue.ShouldContain("失信被执行人名单");
            catalogue.ShouldContain("法定代表人");
            await Chromium.ShotAsync(page, $"measures-01-catalogue-{suffix}");

            await page.GotoAsync(baseUrl + "/staff/measures/feedback?from=2026-11-01&to=2026-11-30");
            var svg = page.Locator(".chart svg");
            (await svg.Locator("text").AllTextContentsAsync()).ShouldContain("财政局");
            (await svg.TextContentAsync())!.ShouldContain("50%");
            var overdueRow = page.Locator("tr", new() { HasText = "住建局" }).Last;
            (await overdueRow.InnerTextAsync()).ShouldContain("逾期未反馈");
            await Chromium.ShotAsync(page, $"measures-02-feedback-{suffix}");
            if (width < 500)
            {
                // No sideways scrolling of the page on a phone (tables scroll inside their wrapper).
                (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(width);
            }
            await context.CloseAsync();
        }

        // The finance officer reports on the open question through the page; a report without a reason is refused.
        var officerContext = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var officer = await officerContext.NewPageAsync();
        await SignInAsync(officer, baseUrl, "czj-officer");
        await officer.GotoAsync(baseUrl + $"/staff/measures/queries/{open}");
        (await officer.Locator("main").InnerTextAsync()).ShouldContain("（2026）苏0583执52号");
        await officer.GetByLabel("未实施", new() { Exact = true }).CheckAsync();
        await officer.GetByRole(AriaRole.Button, new() { Name = "提交反馈" }).ClickAsync();
        (await officer.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("理由");
        await officer.GetByLabel("未实施", new() { Exact = true }).CheckAsync();
        await officer.GetByLabel("未实施理由").FillAsync("该企业已向法院履行完毕，移出手续办理中");
        await officer.GetByRole(AriaRole.Button, new() { Name = "提交反馈" }).ClickAsync();
        await officer.Locator("text=未实施：该企业已向法院履行完毕").WaitForAsync();
        await Chromium.ShotAsync(officer, "measures-03-query");
        (await officer.GotoAsync(baseUrl + $"/staff/measures/queries/{overdue}"))!.Status.ShouldBe(403);

        // Lenient rule through the page: refused without a legal basis, then set, then shown as withheld in a new question.
        await officer.GotoAsync(baseUrl + "/staff/measures/lenient");
        await officer.GetByLabel("类型").SelectOptionAsync("force-majeure");
        await officer.GetByLabel("主体代码").FillAsync(u2);
        await officer.GetByLabel("截止日期（不含当日；暂缓时必填）").FillAsync("2027-03-01");
        await officer.GetByLabel("事实和理由").FillAsync("受疫情影响停产，合同逾期");
        await officer.GetByRole(AriaRole.Button, new() { Name = "设定", Exact = true }).ClickAsync();
        (await officer.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("依据");
        await officer.GetByLabel("主体代码").FillAsync(u2);
        await officer.GetByLabel("截止日期（不含当日；暂缓时必填）").FillAsync("2027-03-01");
        await officer.GetByLabel("依据").FillAsync("《关于进一步加强疫情防控期间信用管理和服务工作的通知》（昆信用办〔2020〕2号）");
        await officer.GetByLabel("事实和理由").FillAsync("受疫情影响停产，合同逾期");
        await officer.GetByRole(AriaRole.Button, new() { Name = "设定", Exact = true }).ClickAsync();
        (await officer.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("已设定规则");
        (await officer.Locator("table").InnerTextAsync()).ShouldContain("不可抗力暂缓惩戒");
        await Chromium.ShotAsync(officer, "measures-04-lenient");
        var withheld = await AskAsync(finance, "procurement", u2);
        await officer.GotoAsync(baseUrl + $"/staff/measures/queries/{withheld}");
        (await officer.Locator("main").InnerTextAsync()).ShouldContain("包容审慎，暂不实施");
        await Chromium.ShotAsync(officer, "measures-05-withheld");
        await officerContext.CloseAsync();
    }

    private static async Task SignInAsync(IPage page, string baseUrl, string user)
    {
        await page.GotoAsync(baseUrl + "/staff/login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync("xinyong-demo");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, baseUrl + "/staff");
    }
}
