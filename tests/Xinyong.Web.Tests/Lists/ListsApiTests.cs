using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using static Xinyong.Web.Tests.Lists.ListsHttp;

namespace Xinyong.Web.Tests.Lists;

public sealed class ListsApiTests
{
    private static async Task ShouldBeProblemAsync(HttpResponseMessage r, HttpStatusCode status, string code, string zhFragment)
    {
        r.StatusCode.ShouldBe(status);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var p = await JsonAsync(r);
        p.GetProperty("code").GetString().ShouldBe(code);
        p.GetProperty("detailZh").GetString()!.ShouldContain(zhFragment);
        p.GetProperty("detailEn").GetString()!.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory, DatabaseProviders]
    public async Task Workflow_ProposalToExit_OverHttp_ActiveOnlyWhilePublished(string provider)
    {
        var clock = new FakeClock(Friday);
        await using var host = await WebHost.StartAsync(provider, clock: clock);
        var market = await host.TokenClientAsync("市场监管局");
        var subject = await SubjectAsync(host, "昆山市某某食品有限公司", uscc: "91320583MA1K314J7T");

        var id = await ProposeAsync(market, Market(subject));
        var noticed = await JsonAsync(await StepAsync(market, id, "notice"));
        noticed.GetProperty("status").GetString().ShouldBe("noticed");
        noticed.GetProperty("objectionUntil").GetString().ShouldBe("2026-11-27");

        await ShouldBeProblemAsync(await StepAsync(market, id, "decide", new { decisionNumber = "昆市监信决〔2026〕1号" }),
            HttpStatusCode.Conflict, "objection-window-open", "2026-11-27");
        await ShouldBeProblemAsync(await StepAsync(market, id, "objection-window/close", new { statement = "当事人提出申辩" }),
            HttpStatusCode.Conflict, "objection-window-open", "2026-11-27");

        clock.Now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8));
        var closed = await JsonAsync(await StepAsync(market, id, "objection-window/close", new { statement = "当事人书面申辩称已召回，经复核不予采纳" }));
        closed.GetProperty("objectionClosedOn").GetString().ShouldBe("2026-11-30");
        closed.GetProperty("objectionNote").GetString().ShouldBe("当事人书面申辩称已召回，经复核不予采纳");
        (await StepAsync(market, id, "decide", new { decisionNumber = "昆市监信决〔2026〕1号" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await market.GetFromJsonAsync<JsonElement>("/api/v1/lists/types/serious-dishonesty-market/active")).GetProperty("total").GetInt32().ShouldBe(0);

        var published = await JsonAsync(await StepAsync(market, id, "publish"));
        published.GetProperty("listedFrom").GetString().ShouldBe("2026-11-30");
        published.GetProperty("listedUntil").GetString().ShouldBe("2029-11-30");
        var active = await market.GetFromJsonAsync<JsonElement>("/api/v1/lists/types/serious-dishonesty-market/active");
        active.GetProperty("total").GetInt32().ShouldBe(1);
        active.GetProperty("items")[0].GetProperty("subjectName").GetString().ShouldBe("昆山市某某食品有限公司");
        (await market.GetFromJsonAsync<JsonElement>("/api/v1/lists/subjects/91320583MA1K314J7T/entries?active=true")).GetArrayLength().ShouldBe(1);

        clock.Now = new DateTimeOffset(2027, 12, 6, 9, 0, 0, TimeSpan.FromHours(8));
        var ended = await JsonAsync(await StepAsync(market, id, "exit", new { reason = "exit-conditions", note = "已履行处罚义务并纠正违法行为" }));
        ended.GetProperty("status").GetString().ShouldBe("ended");
        (await market.GetFromJsonAsync<JsonElement>($"/api/v1/lists/subjects/{subject}/entries?active=true")).GetArrayLength().ShouldBe(0);
        var all = await market.GetFromJsonAsync<JsonElement>($"/api/v1/lists/subjects/{subject}/entries");
        all[0].GetProperty("status").GetString().ShouldBe("ended");

        var detail = await market.GetFromJsonAsync<JsonElement>($"/api/v1/lists/entries/{id}");
        detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("toStatus").GetString())
            .ShouldBe(["proposed", "noticed", "noticed", "decided", "published", "ended"]);
        detail.GetProperty("history").EnumerateArray().ShouldAllBe(h => h.GetProperty("actor").GetString()!.StartsWith("token:"));
        detail.GetProperty("notices")[0].GetProperty("kind").GetString().ShouldBe("removal");
    }

    [Theory, DatabaseProviders]
    public async Task Propose_WithoutLegalBasis_IsRefusedWithAProblem(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: new FakeClock(Friday));
        var market = await host.TokenClientAsync("市场监管局");
        var subject = await SubjectAsync(host, "昆山某公司");
        var body = new { listType = "serious-dishonesty-market", subjectId = subject, grounds = "情节严重", evidence = "处罚决定书", legalBasis = " " };

        var r = await market.PostAsJsonAsync("/api/v1/lists/entries", body);

        await ShouldBeProblemAsync(r, HttpStatusCode.BadRequest, "legal-basis-required", "依据");
        (await JsonAsync(r)).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("legalBasis");
        (await market.GetFromJsonAsync<JsonElement>("/api/v1/lists/entries")).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Propose_RedForABlackListedSubject_IsRefusedWithTheReason()
    {
        var clock = new FakeClock(Friday);
        await using var host = await WebHost.StartAsync(clock: clock);
        var subject = await SubjectAsync(host, "昆山某食品有限公司");
        var black = await DesignateAsync(await host.TokenClientAsync("市场监管局"), clock, Market(subject));

        var r = await (await host.TokenClientAsync("市信用办")).PostAsJsonAsync("/api/v1/lists/entries", Honours(subject));

        await ShouldBeProblemAsync(r, HttpStatusCode.Conflict, "black-listed", "黑名单主体不得列入红名单");
        (await JsonAsync(r)).GetProperty("detailEn").GetString()!.ShouldContain($"entry {black}");
    }

    [Theory, DatabaseProviders]
    public async Task Propose_ByATokenOfADepartmentTheTypeDoesNotName_IsForbidden(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: new FakeClock(Friday));
        var subject = await SubjectAsync(host, "昆山某公司");
        var tax = await host.TokenClientAsync("税务局");

        await ShouldBeProblemAsync(await tax.PostAsJsonAsync("/api/v1/lists/entries", Market(subject)),
            HttpStatusCode.Forbidden, "department-not-designating", "认定部门");
        // Naming another department in the request does not help.
        await ShouldBeProblemAsync(await tax.PostAsJsonAsync("/api/v1/lists/entries",
                new { listType = "serious-dishonesty-market", subjectId = subject, department = "scjgj", grounds = "g", evidence = "e", legalBasis = "b" }),
            HttpStatusCode.Forbidden, "not-your-department", "本部门");
    }

    [Fact]
    public async Task Steps_ByAnotherDepartmentsToken_AreForbidden_AndChangeNothing()
    {
        await using var host = await WebHost.StartAsync(clock: new FakeClock(Friday));
        var subject = await SubjectAsync(host, "昆山某公司");
        var id = await ProposeAsync(await host.TokenClientAsync("市场监管局"), Market(subject));
        var tax = await host.TokenClientAsync("税务局");

        await ShouldBeProblemAsync(await StepAsync(tax, id, "notice"), HttpStatusCode.Forbidden, "not-your-department", "认定部门");
        await ShouldBeProblemAsync(await StepAsync(tax, id, "drop", new { reason = "x" }), HttpStatusCode.Forbidden, "not-your-department", "认定部门");
        var market = await host.TokenClientAsync("市场监管局");
        (await market.GetFromJsonAsync<JsonElement>($"/api/v1/lists/entries/{id}")).GetProperty("entry").GetProperty("status").GetString().ShouldBe("proposed");
        (await tax.GetFromJsonAsync<JsonElement>("/api/v1/lists/entries")).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Steps_OutOfOrderOrUnknown_AreRefused()
    {
        await using var host = await WebHost.StartAsync(clock: new FakeClock(Friday));
        var market = await host.TokenClientAsync("市场监管局");
        var id = await ProposeAsync(market, Market(await SubjectAsync(host, "昆山某公司")));

        await ShouldBeProblemAsync(await StepAsync(market, id, "publish"), HttpStatusCode.Conflict, "illegal-transition", "已提出");
        await ShouldBeProblemAsync(await StepAsync(market, id, "exit", new { reason = "exit-conditions" }), HttpStatusCode.Conflict, "illegal-transition", "移出");
        (await StepAsync(market, id + 1000, "notice")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(await market.PostAsJsonAsync("/api/v1/lists/entries", new { listType = "counted-penalties", subjectId = 1, grounds = "g", evidence = "e", legalBasis = "b" }),
            HttpStatusCode.BadRequest, "unknown-list-type", "counted-penalties");
    }

    [Fact]
    public async Task RecordDecided_CourtDecisionSentTwice_IsStoredOnce()
    {
        await using var host = await WebHost.StartAsync(clock: new FakeClock(Friday));
        var court = await host.TokenClientAsync("人民法院");
        await SubjectAsync(host, "张伟明", "natural_person", idNumber: "11010519491231002X");
        var body = new
        {
            listType = "judgment-defaulter", subjectCode = "11010519491231002X", grounds = "有履行能力而拒不履行生效法律文书确定的义务",
            legalBasis = "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条", decisionNumber = "(2026)苏0583执1234号", decidedOn = "2026-11-18",
        };

        var first = await court.PostAsJsonAsync("/api/v1/lists/decisions", body);
        var second = await court.PostAsJsonAsync("/api/v1/lists/decisions", body);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonAsync(second)).GetProperty("id").GetInt64().ShouldBe((await JsonAsync(first)).GetProperty("id").GetInt64());
        (await court.GetFromJsonAsync<JsonElement>("/api/v1/lists/types/judgment-defaulter/active")).GetProperty("total").GetInt32().ShouldBe(1);
        // A type run on the platform cannot be imported as decided.
        var market = await host.TokenClientAsync("市场监管局");
        await ShouldBeProblemAsync(await market.PostAsJsonAsync("/api/v1/lists/decisions", new
        {
            listType = "serious-dishonesty-market", subjectCode = "11010519491231002X", grounds = "g", evidence = "e", legalBasis = "b", decisionNumber = "d",
        }), HttpStatusCode.Conflict, "procedure-required", "告知和异议程序");
    }

    [Fact]
    public async Task Types_Anonymous_ListsEveryTypeWithBasisPeriodAndRemedies()
    {
        await using var host = await WebHost.StartAsync(clock: new FakeClock(Friday));
        var types = await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/lists/types");
        var yellow = types.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "work-safety-yellow-card");
        yellow.GetProperty("periodMonths").GetInt32().ShouldBe(3);
        yellow.GetProperty("departments")[0].GetString().ShouldBe("yjglj");
        yellow.GetProperty("remediesZh").GetString()!.ShouldContain("行政复议");
        types.EnumerateArray().ShouldAllBe(t => t.GetProperty("legalBasisZh").GetString()!.Length > 0);
        (await host.CreateClient().GetAsync("/api/v1/lists/entries")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class ListImportsApiTests
{
    [Theory, DatabaseProviders]
    public async Task Import_CourtFileByToken_CountsRowsAndRejectsDownloadAsSpreadsheet_ResendIsIdempotent(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: new FakeClock(Friday));
        var court = await host.TokenClientAsync("人民法院");
        var file = Data.Tests.Lists.DefaulterFile.Generate(20);
        file.Rows.Add(["被执行人甲", null, Data.Tests.Lists.DefaulterFile.PersonId(777), "拒不履行", null, "(2026)苏0583执99001号", null, "2026-11-18"]);
        var bytes = file.ToXlsx();
        MultipartFormDataContent Content()
        {
            var c = new MultipartFormDataContent();
            c.Add(new ByteArrayContent(bytes), "file", "法院推送.xlsx");
            return c;
        }

        var r = await court.PostAsync("/api/v1/lists/imports?type=judgment-defaulter", Content());

        r.StatusCode.ShouldBe(HttpStatusCode.Created);
        var first = await JsonAsync(r);
        (first.GetProperty("created").GetInt64(), first.GetProperty("rejected").GetInt64(), first.GetProperty("channel").GetString()).ShouldBe((20L, 1L, "api"));
        var id = first.GetProperty("id").GetInt64();
        var rejects = await court.GetFromJsonAsync<JsonElement>($"/api/v1/lists/imports/{id}/rejects");
        rejects[0].GetProperty("row").GetInt64().ShouldBe(22);
        rejects[0].GetProperty("reasonZh").GetString()!.ShouldContain("认定依据");
        var xlsx = await court.GetAsync($"/api/v1/lists/imports/{id}/rejects?format=xlsx");
        using (var reader = new Core.Ingestion.Sources.XlsxTableReader(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())))
        {
            reader.Read().ShouldBeTrue();
            reader.Current[0].ShouldBe("22");
            reader.Current[3]!.ShouldContain("认定依据");
            reader.Header.ShouldContain("被执行人姓名/名称");
        }

        var again = await JsonAsync(await court.PostAsync("/api/v1/lists/imports?type=judgment-defaulter", Content()));
        (again.GetProperty("created").GetInt64(), again.GetProperty("unchanged").GetInt64()).ShouldBe((0L, 20L));
        (await court.GetFromJsonAsync<JsonElement>("/api/v1/lists/types/judgment-defaulter/active")).GetProperty("total").GetInt32().ShouldBe(20);

        var market = await host.TokenClientAsync("市场监管局");
        (await market.GetAsync($"/api/v1/lists/imports/{id}/rejects")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var refused = await market.PostAsync("/api/v1/lists/imports?type=judgment-defaulter", Content());
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await JsonAsync(refused)).GetProperty("code").GetString().ShouldBe("department-not-designating");
    }
}
