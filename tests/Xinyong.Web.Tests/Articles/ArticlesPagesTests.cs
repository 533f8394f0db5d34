using System.Net;
using System.Text.RegularExpressions;
using Xinyong.Core.Auditing;
using Xinyong.Data.Accounts;
using Xinyong.Data.Articles;
using Xinyong.Data.Auditing;
using Xinyong.Data.Platform;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Articles;

public sealed partial class ArticlesPagesTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static async Task<WebHost> StartAsync(string provider = "sqlite")
    {
        var host = await WebHost.StartAsync(provider);
        await host.CreateUserAsync(PlatformSetup.DemoAdminUser, PlatformSetup.DemoAdminPassword, Roles.Admin, null);
        await host.CreateUserAsync(PlatformSetup.DemoOfficerUser, PlatformSetup.DemoOfficerPassword, Roles.Officer, "市场监管局");
        return host;
    }

    /// <summary>A page's HTML with character references decoded (Razor writes CJK text as &amp;#x...; references).</summary>
    private static async Task<string> PageAsync(HttpClient client, string url) => WebUtility.HtmlDecode(await client.GetStringAsync(url));

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        token.ShouldNotBeNullOrEmpty();
        return token;
    }

    private static async Task<HttpClient> SignInAsync(WebHost host, string username, string password = "xinyong-demo")
    {
        var client = host.CreateClient(new() { AllowAutoRedirect = false });
        var token = await TokenAsync(client, "/staff/login");
        var response = await client.PostAsync("/staff/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string op, string title, string body = "第一段。\n\n第二段。",
        string kind = ArticleKinds.Notice, string? summary = "摘要文字", string? source = "昆山市信用办")
    {
        var token = await TokenAsync(client, url);
        return await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = kind, ["Title"] = title, ["Summary"] = summary ?? "", ["Source"] = source ?? "", ["Body"] = body, ["Op"] = op,
            ["__RequestVerificationToken"] = token,
        }));
    }

    private static long IdFrom(HttpResponseMessage redirect)
    {
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var m = Regex.Match(redirect.Headers.Location!.OriginalString, @"^/staff/articles/edit/(\d+)\?done=");
        m.Success.ShouldBeTrue(redirect.Headers.Location.OriginalString);
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory, DatabaseProviders]
    public async Task Admin_PublishesThroughStaffForm_ArticleOnNewsListAndDetail(string provider)
    {
        await using var host = await StartAsync(provider);
        var admin = await SignInAsync(host, "admin");

        var response = await PostFormAsync(admin, "/staff/articles/edit", "publish", "关于调整信用报告查询服务时间的通知",
            body: "自12月1日起，信用服务窗口调整服务时间。\n\n网上查询<script>alert(1)</script>不受影响。");
        var id = IdFrom(response);
        response.Headers.Location!.OriginalString.ShouldEndWith("done=published");

        var anonymous = host.CreateClient();
        var list = await PageAsync(anonymous, "/news");
        list.ShouldContain("关于调整信用报告查询服务时间的通知");
        list.ShouldContain($"href=\"/news/{id}\"");
        (await PageAsync(anonymous, "/news?kind=notice")).ShouldContain("关于调整信用报告查询服务时间的通知");
        (await PageAsync(anonymous, "/news?kind=news")).ShouldNotContain("关于调整信用报告查询服务时间的通知");

        var raw = await anonymous.GetStringAsync($"/news/{id}");
        raw.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        raw.ShouldNotContain("<script>alert(1)");
        var detail = WebUtility.HtmlDecode(raw);
        detail.ShouldContain("<p>自12月1日起，信用服务窗口调整服务时间。</p>");
        detail.ShouldContain("昆山市信用办");
        detail.ShouldContain("2026-"); // published today (the real clock)

        var staffList = await PageAsync(admin, "/staff/articles");
        staffList.ShouldContain("关于调整信用报告查询服务时间的通知");
        staffList.ShouldContain("已发布");
        var audit = await host.Get<AuditLog>().RecentAsync();
        audit.Where(e => e.Entity == "article").Select(e => (e.Action, e.Actor)).ShouldBe([("article.publish", "admin"), ("article.create", "admin")]);
    }

    [Fact]
    public async Task DraftAndWithdrawn_AreNotFoundPublicly()
    {
        await using var host = await StartAsync();
        var admin = await SignInAsync(host, "admin");
        var anonymous = host.CreateClient();

        var id = IdFrom(await PostFormAsync(admin, "/staff/articles/edit", "save", "草稿文章"));
        (await host.Get<ArticleStore>().GetAsync(id))!.Status.ShouldBe(ArticleStatus.Draft);
        (await anonymous.GetAsync($"/news/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PageAsync(anonymous, "/news")).ShouldNotContain("草稿文章");
        (await anonymous.GetAsync("/news/999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        IdFrom(await PostFormAsync(admin, $"/staff/articles/edit/{id}", "publish", "草稿文章")).ShouldBe(id);
        (await anonymous.GetAsync($"/news/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        IdFrom(await PostFormAsync(admin, $"/staff/articles/edit/{id}", "withdraw", "草稿文章")).ShouldBe(id);
        (await host.Get<ArticleStore>().GetAsync(id))!.Status.ShouldBe(ArticleStatus.Withdrawn);
        (await anonymous.GetAsync($"/news/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PageAsync(anonymous, "/news")).ShouldNotContain("草稿文章");
    }

    [Fact]
    public async Task Admin_InvalidForm_ShowsErrorsNextToFieldsAndKeepsInput()
    {
        await using var host = await StartAsync();
        var admin = await SignInAsync(host, "admin");

        var response = await PostFormAsync(admin, "/staff/articles/edit", "publish", "", body: "保留的正文");

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain("<p class=\"field-error\" id=\"title-error\">请填写标题。</p>");
        html.ShouldContain("aria-describedby=\"title-error\"");
        html.ShouldContain(">保留的正文</textarea>");
        html.ShouldNotContain("body-error");
        (await host.Get<ArticleStore>().ListAsync(null, 1, 10, includeDrafts: true)).Total.ShouldBe(0);

        var english = await admin.PostAsync("/staff/articles/edit?lang=en", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "news", ["Title"] = new string('长', 201), ["Body"] = "", ["Op"] = "save",
            ["__RequestVerificationToken"] = await TokenAsync(admin, "/staff/articles/edit"),
        }));
        var en = WebUtility.HtmlDecode(await english.Content.ReadAsStringAsync());
        en.ShouldContain("The title may have at most 200 characters (it has 201).");
        en.ShouldContain("The body is required.");
    }

    [Fact]
    public async Task Officer_CannotListCreateOrEditArticles()
    {
        await using var host = await StartAsync();
        var article = await host.Get<ArticleStore>().CreateAsync(new ArticleDraft(ArticleKinds.News, "信用办文章", null, "正文", null), Actor.SystemActor);
        var officer = await SignInAsync(host, "scjg");

        (await officer.GetAsync("/staff/articles")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await officer.GetAsync("/staff/articles/edit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await officer.GetAsync($"/staff/articles/edit/{article.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var token = await TokenAsync(officer, "/staff/tokens");
        var post = await officer.PostAsync($"/staff/articles/edit/{article.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "news", ["Title"] = "改掉", ["Body"] = "改掉", ["Op"] = "publish", ["__RequestVerificationToken"] = token,
        }));
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.Get<ArticleStore>().GetAsync(article.Id))!.ShouldSatisfyAllConditions(
            a => a.Title.ShouldBe("信用办文章"), a => a.Status.ShouldBe(ArticleStatus.Draft));
        (await PageAsync(officer, "/staff")).ShouldNotContain("/staff/articles");

        var anonymous = host.CreateClient(new() { AllowAutoRedirect = false });
        var redirect = await anonymous.GetAsync("/staff/articles");
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.OriginalString.ShouldContain("/staff/login");
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRejected()
    {
        await using var host = await StartAsync();
        var admin = await SignInAsync(host, "admin");

        var response = await admin.PostAsync("/staff/articles/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "news", ["Title"] = "伪造", ["Body"] = "伪造", ["Op"] = "publish",
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.Get<ArticleStore>().ListAsync(null, 1, 10, includeDrafts: true)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task News_DemoArticles_PagedByKindWithTabs()
    {
        await using var host = await StartAsync();
        var store = host.Get<ArticleStore>();
        await DemoArticles.SeedAsync(store, Actor.SystemActor);
        for (var i = 1; i <= 16; i++)
        {
            var a = await store.CreateAsync(new ArticleDraft(ArticleKinds.News, $"测试动态{i:00}", null, "正文", null), Actor.SystemActor);
            await store.PublishAsync(a.Id, Actor.SystemActor, new DateOnly(2024, 1, i));
        }
        var client = host.CreateClient();

        var first = await PageAsync(client, "/news?kind=news");
        first.ShouldContain("aria-current=\"page\">信用动态</a>");
        first.ShouldContain("href=\"/news?kind=news&page=2\"");
        first.ShouldNotContain("测试动态01");
        var second = await PageAsync(client, "/news?kind=news&page=2");
        second.ShouldContain("测试动态01");
        second.ShouldNotContain("政策解读");

        var all = await PageAsync(client, "/news");
        all.ShouldContain("政策解读：《信用修复管理办法》自2026年4月1日起施行");
        all.ShouldContain("kind-tag kind-policy");
        (await PageAsync(client, "/news?kind=bogus")).ShouldContain("aria-current=\"page\">全部</a>");
    }
}
