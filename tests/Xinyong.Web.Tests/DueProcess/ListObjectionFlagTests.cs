using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using static Xinyong.Web.Tests.Lists.ListsHttp;

namespace Xinyong.Web.Tests.DueProcess;

/// <summary>异议中 on the public red and black list columns, for exactly the entries with an open objection.</summary>
public sealed partial class ListObjectionFlagTests
{
    [Theory, DatabaseProviders]
    public async Task BlackListColumn_EntryUnderObjection_IsFlaggedUntilTheObjectionIsDecided(string provider)
    {
        var clock = new FakeClock(Friday);
        await using var host = await WebHost.StartAsync(provider, clock: clock);
        var codes = PenaltyFile.Codes(2, seed: 77);
        var market = await host.TokenClientAsync("市场监管局");
        var disputed = await DesignateAsync(market, clock, Market(await SubjectAsync(host, "昆山市争议食品有限公司", uscc: codes[0])));
        var undisputed = await DesignateAsync(market, clock, Market(await SubjectAsync(host, "昆山市平安食品有限公司", uscc: codes[1])));
        var anonymous = host.CreateClient();

        var filed = await anonymous.PostAsJsonAsync("/api/v1/public/objections", new
        {
            code = codes[0], targetKind = "ListEntry", targetId = disputed, contactName = "周经理", contactPhone = "13900002222",
            claim = "涉案食品系供货商责任，已由法院判决认定，不属于情节严重情形",
        });
        filed.StatusCode.ShouldBe(HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
        var objection = (await JsonAsync(filed)).GetProperty("id").GetInt64();

        var page = await anonymous.GetStringAsync("/lists/black");
        Row(page, disputed).ShouldContain("异议中");
        Row(page, undisputed).ShouldNotContain("异议中");

        (await market.PostAsync($"/api/v1/objections/{objection}/acknowledge", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await market.PostAsJsonAsync($"/api/v1/objections/{objection}/verify", new { note = "调阅案卷核查" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var decided = await market.PostAsJsonAsync($"/api/v1/objections/{objection}/decide", new { outcome = "Rejected", reasons = "情节严重的认定有案卷证据支持" });
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());

        var after = await anonymous.GetStringAsync("/lists/black");
        Row(after, disputed).ShouldNotContain("异议中");
        Row(after, disputed).ShouldContain("昆山市争议食品有限公司");
    }

    /// <summary>The table row of one entry on the public list page.</summary>
    private static string Row(string html, long entry)
    {
        var m = RowPattern().Matches(html).FirstOrDefault(r => r.Groups[1].Value == entry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        m.ShouldNotBeNull($"entry {entry} is not on the page");
        return m.Value;
    }

    [GeneratedRegex("<tr id=\"entry-(\\d+)\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();
}
