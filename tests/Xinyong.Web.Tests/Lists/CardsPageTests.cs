using System.Net;
using Xinyong.Core.Auditing;
using Xinyong.Core.Lists;
using Xinyong.Data.Accounts;
using Xinyong.Data.Lists;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using static Xinyong.Web.Tests.Measures.MeasuresWebFixture;

namespace Xinyong.Web.Tests.Lists;

/// <summary>The staff page of the work-safety red/yellow cards: cards under management, a removal notice ending several, the notices shown.</summary>
public sealed class CardsPageTests
{
    private static async Task<ListEntry> CardAsync(WebHost host, FakeClock clock, string name, Actor officer)
    {
        var store = host.Get<ListStore>();
        var subject = await SubjectAsync(host, name, null, "individual_business");
        var e = await store.ProposeAsync(new ListProposal("work-safety-yellow-card", subject, 0, "未按规定开展安全生产隐患排查治理", "昆应急〔2026〕60号",
            "《中华人民共和国安全生产法》第四十一条"), officer);
        e = await store.NoticeAsync(e.Id, officer);
        clock.Now = new DateTimeOffset(e.ObjectionUntil!.Value.AddDays(1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        e = await store.DecideAsync(e.Id, "昆应急〔2026〕60号", officer);
        return await store.PublishAsync(e.Id, officer);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, IEnumerable<long> ids, string noticeNumber)
    {
        var token = await TokenAsync(client, "/staff/lists/cards");
        var form = ids.Select(id => new KeyValuePair<string, string>("ids", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        form.Add(new("noticeNumber", noticeNumber));
        form.Add(new("reason", ListEndReasons.PeriodEnd));
        form.Add(new("__RequestVerificationToken", token));
        return await client.PostAsync("/staff/lists/cards", new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task Cards_RemovalNotice_EndsTheSelectedAndShowsTheirNotices_RefusalsShown()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var host = await StartAsync(clock: clock);
        await host.CreateUserAsync("yj-officer", "xinyong-demo", Roles.Officer, "应急管理局");
        await host.CreateUserAsync("scjg-officer", "xinyong-demo", Roles.Officer, "市场监管局");
        var dept = await host.DepartmentAsync("应急管理局");
        var officer = new Actor(ActorKind.User, "yj-officer", dept.Id);
        var shop = await CardAsync(host, clock, "昆山市千灯镇某便利店", officer);
        var printer = await CardAsync(host, clock, "昆山市周市某印刷器材经营部", officer);
        var kept = await CardAsync(host, clock, "昆山市某五金加工厂", officer);

        var yj = await SignInAsync(host, "yj-officer");
        var page = WebUtility.HtmlDecode(await yj.GetStringAsync("/staff/lists/cards"));
        page.ShouldContain("昆山市千灯镇某便利店");
        page.ShouldContain("昆山市某五金加工厂");
        page.ShouldContain("尚未发出移出通知");

        // Without the notice number nothing is ended and the page says why.
        var refused = WebUtility.HtmlDecode(await (await PostAsync(yj, [shop.Id], "")).Content.ReadAsStringAsync());
        refused.ShouldContain("请填写移出通知文号");
        (await host.Get<ListStore>().GetAsync(shop.Id))!.Status.ShouldBe(ListStatus.Published);

        // Another department sees no cards and cannot end them.
        var scjg = await SignInAsync(host, "scjg-officer");
        WebUtility.HtmlDecode(await scjg.GetStringAsync("/staff/lists/cards")).ShouldNotContain("昆山市千灯镇某便利店");
        WebUtility.HtmlDecode(await (await PostAsync(scjg, [shop.Id], "昆应急〔2026〕61号")).Content.ReadAsStringAsync()).ShouldContain("只有认定部门可以办理该名单条目");
        (await host.Get<ListStore>().GetAsync(shop.Id))!.Status.ShouldBe(ListStatus.Published);

        clock.Now = clock.Now.AddMonths(3);
        yj = await SignInAsync(host, "yj-officer"); // the sign-in cookie follows the moved clock
        scjg = await SignInAsync(host, "scjg-officer");
        var response = await PostAsync(yj, [shop.Id, printer.Id], "昆应急〔2026〕61号");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain("已按 昆应急〔2026〕61号 移出 2 个生产经营单位");
        var removals = html[html.IndexOf("id=\"removals\"", StringComparison.Ordinal)..];
        removals.ShouldContain("昆山市千灯镇某便利店");
        removals.ShouldContain("昆山市周市某印刷器材经营部");
        removals.ShouldNotContain("昆山市某五金加工厂");
        removals.ShouldContain("移出“安全生产“黄牌”警示管理名单”（管理期限届满）。移出通知 昆应急〔2026〕61号");
        removals.ShouldNotContain("removal notice"); // the Chinese page shows the Chinese notice only

        var store = host.Get<ListStore>();
        (await store.GetAsync(shop.Id))!.Status.ShouldBe(ListStatus.Ended);
        (await store.GetAsync(printer.Id))!.Status.ShouldBe(ListStatus.Ended);
        (await store.GetAsync(kept.Id))!.Status.ShouldBe(ListStatus.Published);
        var underManagement = html[..html.IndexOf("id=\"removals\"", StringComparison.Ordinal)];
        underManagement.ShouldContain($"value=\"{kept.Id}\"");
        underManagement.ShouldNotContain($"value=\"{shop.Id}\"");

        // The other department's page does not show this bureau's removal notices either.
        WebUtility.HtmlDecode(await scjg.GetStringAsync("/staff/lists/cards")).ShouldContain("尚未发出移出通知");
    }
}
