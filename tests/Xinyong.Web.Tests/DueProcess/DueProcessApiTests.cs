using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Xinyong.Data.Database;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using Xinyong.Web.Tests.Public;

namespace Xinyong.Web.Tests.DueProcess;

/// <summary>Objections and credit repair over HTTP: the public filing channel, the department's steps, and every refusal as a problem.</summary>
public sealed class DueProcessApiTests
{
    internal static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(3, seed: 91);

    /// <summary>Market supervision penalties: 2024-03-15 (general, repairable since 2024-06-15) and 2026-09-01 (repairable from 2026-12-01).</summary>
    internal static async Task<(long OldRecord, long RecentRecord, long OldSubject)> LoadAsync(WebHost host)
    {
        var client = await host.TokenClientAsync();
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("昆山锦程食品有限公司", Codes[0], "昆市监罚〔2024〕51号", "2024-03-15", "3"))
            .Add(PenaltyFile.Row("昆山恒远贸易有限公司", Codes[1], "昆市监罚〔2026〕52号", "2026-09-01", "3"));
        var r = await client.PostAsync("/api/v1/submissions?type=penalty&wait=true", PublicSiteTests.FileContent(file.ToCsv(), "penalties.csv"));
        var body = await r.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("accepted").GetInt64().ShouldBe(2, body);
        await using var conn = await host.Get<XinyongDatabase>().OpenAsync();
        var old = await conn.ExecuteScalarAsync<long>("SELECT id FROM records WHERE decision_number = '昆市监罚〔2024〕51号'");
        var recent = await conn.ExecuteScalarAsync<long>("SELECT id FROM records WHERE decision_number = '昆市监罚〔2026〕52号'");
        var subject = await conn.ExecuteScalarAsync<long>("SELECT subject_id FROM records WHERE id = @old", new { old });
        return (old, recent, subject);
    }

    internal static object Application(string code, long record) => new
    {
        code, recordId = record, contactName = "陈经理", contactPhone = "0512-57001234", obligationsPerformed = true,
        obligationsNote = "罚款3万元已于2024年4月1日缴清（缴款书号 3205830000123），涉事食品已全部下架销毁", commitmentMade = true,
        commitmentText = "本单位承诺严格遵守食品安全法律法规，诚信经营；如有违反，自愿接受惩戒。",
    };

    private static FakeClock Clock() => new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    [Theory, DatabaseProviders]
    public async Task Repair_BeforeTheMinimumPeriod_Is422NamingTheDate(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: Clock());
        var (_, recent, _) = await LoadAsync(host);
        var anonymous = host.CreateClient();

        var outlook = await JsonAsync(await anonymous.GetAsync($"/api/v1/public/records/{recent}/repair"));
        outlook.GetProperty("earliestDate").GetString().ShouldBe("2026-12-01");
        outlook.GetProperty("repairableNow").GetBoolean().ShouldBeFalse();

        var r = await anonymous.PostAsJsonAsync("/api/v1/public/repairs", Application(Codes[1], recent));
        r.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await JsonAsync(r);
        problem.GetProperty("code").GetString().ShouldBe("too_early");
        problem.GetProperty("detailZh").GetString()!.ShouldContain("2026-12-01");
        problem.GetProperty("detailEn").GetString()!.ShouldContain("2026-12-01");

        var wrongSubject = await anonymous.PostAsJsonAsync("/api/v1/public/repairs", Application(Codes[0], recent));
        wrongSubject.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await JsonAsync(wrongSubject)).GetProperty("code").GetString().ShouldBe("record_not_yours");
    }

    [Theory, DatabaseProviders]
    public async Task Objection_DecidedByAnotherDepartmentOrTwice_IsRefused(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: Clock());
        var (old, _, subject) = await LoadAsync(host);
        var anonymous = host.CreateClient();
        var filed = await anonymous.PostAsJsonAsync("/api/v1/public/objections", new
        {
            code = Codes[0], targetKind = "Record", targetId = old, contactName = "陈经理", contactPhone = "0512-57001234", claim = "罚款金额应为 0.3 万元",
        });
        filed.StatusCode.ShouldBe(HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
        var objection = await JsonAsync(filed);
        var id = objection.GetProperty("id").GetInt64();
        objection.GetProperty("acknowledgeBy").GetString().ShouldBe("2026-11-25");

        // Flagged while open, on the public API and in the CSV export.
        var page = await JsonAsync(await anonymous.GetAsync($"/api/v1/public/subjects/{subject}"));
        page.GetProperty("penalties")[0].GetProperty("underObjection").GetBoolean().ShouldBeTrue();
        (await anonymous.GetStringAsync("/open-data/penalties.csv")).ShouldContain("异议中");
        (await anonymous.GetStringAsync($"/subjects/{subject}")).ShouldContain("异议中");

        var market = await host.TokenClientAsync("市场监管局");
        var tax = await host.TokenClientAsync("税务局");
        (await tax.GetAsync($"/api/v1/objections/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var foreign = await tax.PostAsync($"/api/v1/objections/{id}/acknowledge", null);
        foreign.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await JsonAsync(foreign)).GetProperty("code").GetString().ShouldBe("not_your_department");
        (await JsonAsync(await tax.GetAsync("/api/v1/objections"))).GetArrayLength().ShouldBe(0);
        (await JsonAsync(await market.GetAsync("/api/v1/objections"))).GetArrayLength().ShouldBe(1);

        (await market.PostAsync($"/api/v1/objections/{id}/acknowledge", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await market.PostAsJsonAsync($"/api/v1/objections/{id}/verify", new { note = "与执法档案比对，罚款金额录入有误" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var otherDecides = await tax.PostAsJsonAsync($"/api/v1/objections/{id}/decide", new { outcome = "Rejected", reasons = "无误" });
        otherDecides.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var decided = await market.PostAsJsonAsync($"/api/v1/objections/{id}/decide",
            new { outcome = "Upheld", corrections = new[] { new { field = "CF_NR_FK", newValue = "0.3" } }, withdraw = false });
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        (await JsonAsync(decided)).GetProperty("correctedVersion").GetInt32().ShouldBe(2);
        var twice = await market.PostAsJsonAsync($"/api/v1/objections/{id}/decide", new { outcome = "Rejected", reasons = "再次决定" });
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await JsonAsync(twice)).GetProperty("code").GetString().ShouldBe("already_decided");

        // The corrected data flows to the public surfaces; the flag is gone.
        var after = (await JsonAsync(await anonymous.GetAsync($"/api/v1/public/subjects/{subject}"))).GetProperty("penalties")[0];
        after.GetProperty("underObjection").GetBoolean().ShouldBeFalse();
        after.GetProperty("fineWan").GetDecimal().ShouldBe(0.3m);
        var status = await JsonAsync(await anonymous.GetAsync($"/api/v1/public/cases/{objection.GetProperty("reference").GetString()}?phone=051257001234"));
        status.GetProperty("outcome").GetString().ShouldBe("upheld");
        (await anonymous.GetAsync($"/api/v1/public/cases/{objection.GetProperty("reference").GetString()}?phone=1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, DatabaseProviders]
    public async Task Repair_ApprovedByTheFindingDepartment_LeavesApiFeedCsvAndSharing(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: Clock());
        var (old, _, subject) = await LoadAsync(host);
        var anonymous = host.CreateClient();
        var tax = await host.TokenClientAsync("税务局");
        (await JsonAsync(await tax.GetAsync($"/api/v1/subjects/{Codes[0]}"))).GetProperty("records").GetArrayLength().ShouldBe(1); // the tax office receives it

        var applied = await anonymous.PostAsJsonAsync("/api/v1/public/repairs", Application(Codes[0], old));
        applied.StatusCode.ShouldBe(HttpStatusCode.Created, await applied.Content.ReadAsStringAsync());
        var id = (await JsonAsync(applied)).GetProperty("id").GetInt64();
        (await anonymous.PostAsJsonAsync("/api/v1/public/repairs", Application(Codes[0], old))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await tax.PostAsync($"/api/v1/repairs/{id}/accept", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var market = await host.TokenClientAsync("市场监管局");
        (await market.PostAsync($"/api/v1/repairs/{id}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict); // not accepted yet
        (await market.PostAsync($"/api/v1/repairs/{id}/accept", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tax.PostAsync($"/api/v1/repairs/{id}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var approved = await market.PostAsync($"/api/v1/repairs/{id}/approve", null);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());

        (await JsonAsync(await anonymous.GetAsync($"/api/v1/public/subjects/{subject}"))).GetProperty("penalties").GetArrayLength().ShouldBe(0);
        (await anonymous.GetStringAsync("/feeds/penalties.atom")).ShouldNotContain("昆市监罚〔2024〕51号");
        (await anonymous.GetStringAsync("/open-data/penalties.csv")).ShouldNotContain("昆市监罚〔2024〕51号");
        (await anonymous.GetStringAsync($"/subjects/{subject}")).ShouldNotContain("昆市监罚〔2024〕51号");
        (await JsonAsync(await tax.GetAsync($"/api/v1/subjects/{Codes[0]}"))).GetProperty("records").GetArrayLength().ShouldBe(0); // no longer shared
        (await JsonAsync(await market.GetAsync($"/api/v1/subjects/{Codes[0]}"))).GetProperty("records").GetArrayLength().ShouldBe(1); // kept for the finder
        var detail = await JsonAsync(await market.GetAsync($"/api/v1/repairs/{id}"));
        detail.GetProperty("notices").EnumerateArray().Select(n => n.GetProperty("recipientKind").GetString()).ShouldContain("department");
    }
}
