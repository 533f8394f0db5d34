using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xinyong.Core.Auditing;
using Xinyong.Data.Accounts;
using Xinyong.Data.Articles;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Browser;

public sealed class ArticlesBrowserTests
{
    [Fact]
    public async Task Admin_WritesAndPublishesNotice_PublicReadsItOnDesktopAndPhone()
    {
        await using var host = await WebHost.StartAsync(kestrel: true);
        await host.CreateUserAsync("admin", "xinyong-demo", Roles.Admin, null);
        await DemoArticles.SeedAsync(host.Get<ArticleStore>(), Actor.SystemActor);
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

        await page.GotoAsync(baseUrl + "/staff/login");
        await page.GetByLabel("用户名").FillAsync("admin");
        await page.GetByLabel("密码").FillAsync("xinyong-demo");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, baseUrl + "/staff");

        await page.GetByRole(AriaRole.Link, new() { Name = "信用动态管理" }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, baseUrl + "/staff/articles");
        (await page.Locator("table").InnerTextAsync()).ShouldContain("信用修复办理指南（2026年版）");
        await Chromium.ShotAsync(page, "articles-01-staff-list");

        await page.GetByRole(AriaRole.Link, new() { Name = "新建文章" }).ClickAsync();
        await page.GetByLabel("栏目").SelectOptionAsync("notice");
        await page.GetByLabel("正文").FillAsync("自2026年12月1日起，市政务服务中心信用服务窗口的服务时间调整为工作日上午9时至下午5时。\n\n“信用昆山”网站的信用报告在线申请不受影响。");
        await page.GetByRole(AriaRole.Button, new() { Name = "发布", Exact = true }).ClickAsync();
        (await page.Locator("#title-error").InnerTextAsync()).ShouldContain("请填写标题");
        (await page.GetByLabel("正文").InputValueAsync()).ShouldStartWith("自2026年12月1日起");
        await Chromium.ShotAsync(page, "articles-02-staff-edit-error");

        await page.Locator("#title").FillAsync("关于调整信用服务窗口服务时间的通知");
        await page.GetByLabel("来源").FillAsync("昆山市信用办");
        await page.GetByRole(AriaRole.Button, new() { Name = "发布", Exact = true }).ClickAsync();
        await Chromium.WaitForUrlAsync(page, new Regex("/staff/articles/edit/\\d+\\?done=published$"));
        (await page.Locator("#article-status").InnerTextAsync()).ShouldBe("已发布");
        await Chromium.ShotAsync(page, "articles-03-staff-published");
        var id = Regex.Match(page.Url, "/edit/(\\d+)").Groups[1].Value;

        var reader = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await reader.GotoAsync(baseUrl + "/news");
        (await reader.Locator(".news-list li").First.InnerTextAsync()).ShouldContain("关于调整信用服务窗口服务时间的通知");
        await Chromium.ShotAsync(reader, "articles-04-news-desktop");
        await reader.GetByRole(AriaRole.Link, new() { Name = "关于调整信用服务窗口服务时间的通知" }).ClickAsync();
        await Chromium.WaitForUrlAsync(reader, baseUrl + "/news/" + id);
        (await reader.Locator(".article-body p").CountAsync()).ShouldBe(2);
        await Chromium.ShotAsync(reader, "articles-05-detail-desktop");

        await reader.GotoAsync(baseUrl + "/news?kind=policy");
        var guide = reader.GetByRole(AriaRole.Link, new() { Name = "信用修复办理指南（2026年版）" });
        await guide.ClickAsync();
        await Chromium.WaitForUrlAsync(reader, new Regex("/news/\\d+$"));
        (await reader.Locator(".article-body").InnerTextAsync()).ShouldContain("信用承诺书");
        await Chromium.ShotAsync(reader, "articles-06-guide-desktop");

        await reader.SetViewportSizeAsync(390, 844);
        await Chromium.ShotAsync(reader, "articles-07-guide-phone");
        await reader.GotoAsync(baseUrl + "/news");
        await Chromium.ShotAsync(reader, "articles-08-news-phone");
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(baseUrl + "/staff/articles");
        await Chromium.ShotAsync(page, "articles-09-staff-list-phone");
        await page.GotoAsync(baseUrl + "/staff/articles/edit/" + id);
        await Chromium.ShotAsync(page, "articles-10-staff-edit-phone");

        await reader.SetViewportSizeAsync(1280, 900);
        await reader.GotoAsync(baseUrl + "/news/" + id + "?lang=en");
        (await reader.Locator(".article-meta").InnerTextAsync()).ShouldContain("Published");
        await Chromium.ShotAsync(reader, "articles-11-detail-english");
    }
}
