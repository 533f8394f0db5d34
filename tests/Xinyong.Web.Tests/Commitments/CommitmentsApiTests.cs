using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Xinyong.Data.Database;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Commitments;

public sealed class CommitmentsApiTests
{
    internal const string Code = "91350100M000100Y43";

    internal static async Task<long> SubjectAsync(WebHost host, string name = "昆山市诚信食品有限公司", string uscc = Code)
    {
        await using var conn = await host.Get<XinyongDatabase>().OpenAsync();
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES ('legal_person', @uscc, @name, @name, @now, @now) RETURNING id",
            new { uscc, name, now = DateTime.UtcNow });
        await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('uscc', @uscc, @id, 'test')", new { uscc, id });
        return id;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonElement>())!;

    [Theory, DatabaseProviders]
    public async Task Post_DepartmentToken_RegistersPublishesAndDecidesABreachThatBecomesAPublicRecord(string provider)
    {
        await using var host = await WebHost.StartAsync(provider);
        var subject = await SubjectAsync(host);
        var client = await host.TokenClientAsync("市场监管局");

        var created = await client.PostAsJsonAsync("/api/v1/commitments", new
        {
            kind = "approval-replacing", code = Code, content = "承诺经营场所符合食品经营许可条件", matter = "食品经营许可（仅销售预包装食品）", businessKey = "XK-2026-1",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var c = await JsonAsync(created);
        var id = c.GetProperty("id").GetInt64();
        c.GetProperty("status").GetString().ShouldBe("published");
        c.GetProperty("channel").GetString().ShouldBe("api");
        c.GetProperty("legalBasis").GetString()!.ShouldContain("国办发〔2020〕42号");

        (await client.PostAsJsonAsync("/api/v1/commitments", new { kind = "approval-replacing", code = Code, content = "x", matter = "y", businessKey = "XK-2026-1" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var confirmEarly = await client.PostAsJsonAsync($"/api/v1/commitments/{id}/confirm-breach", new { decisionNumber = "昆市监违诺〔2026〕1号", legalBasis = "国办发〔2020〕42号" });
        confirmEarly.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await JsonAsync(confirmEarly)).GetProperty("code").GetString().ShouldBe("illegal-transition");

        (await client.PostAsJsonAsync($"/api/v1/commitments/{id}/suspect-breach", new { facts = "事后核查发现经营场所与承诺不符" })).EnsureSuccessStatusCode();
        var noBasis = await client.PostAsJsonAsync($"/api/v1/commitments/{id}/confirm-breach", new { decisionNumber = "昆市监违诺〔2026〕1号" });
        noBasis.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await JsonAsync(noBasis);
        problem.GetProperty("code").GetString().ShouldBe("legal-basis-required");
        problem.GetProperty("detailZh").GetString()!.ShouldContain("依据");

        var confirmed = await client.PostAsJsonAsync($"/api/v1/commitments/{id}/confirm-breach",
            new { decisionNumber = "昆市监违诺〔2026〕1号", legalBasis = "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）" });
        confirmed.EnsureSuccessStatusCode();
        (await JsonAsync(confirmed)).GetProperty("breachRecordId").GetInt64().ShouldBeGreaterThan(0);
        var twice = await client.PostAsJsonAsync($"/api/v1/commitments/{id}/confirm-breach", new { decisionNumber = "另一号", legalBasis = "x" });
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await JsonAsync(twice)).GetProperty("code").GetString().ShouldBe("breach-already-confirmed");
        var fulfil = await client.PostAsync($"/api/v1/commitments/{id}/fulfil", JsonContent.Create(new { }));
        (await JsonAsync(fulfil)).GetProperty("code").GetString().ShouldBe("breach-confirmed");

        var anonymous = host.CreateClient();
        var publicSubject = await JsonAsync(await anonymous.GetAsync($"/api/v1/public/subjects/{subject}"));
        var breach = publicSubject.GetProperty("commitmentBreaches").EnumerateArray().Single();
        breach.GetProperty("decisionNumber").GetString().ShouldBe("昆市监违诺〔2026〕1号");
        breach.GetProperty("basis").GetString()!.ShouldContain("国办发〔2020〕42号");
        var html = await anonymous.GetStringAsync($"/subjects/{subject}");
        html.ShouldContain("违背信用承诺记录");
        html.ShouldContain("可申请信用修复");
        html.ShouldContain("已违诺");

        var history = await JsonAsync(await client.GetAsync($"/api/v1/commitments/{id}"));
        history.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("to").GetString()).ShouldBe(
            ["registered", "published", "breach-suspected", "breach-confirmed"]);
        history.GetProperty("history").EnumerateArray().ShouldAllBe(e => e.GetProperty("actor").GetString()!.StartsWith("token:"));
    }

    [Fact]
    public async Task Step_ByAnotherDepartmentsToken_IsForbidden()
    {
        await using var host = await WebHost.StartAsync();
        await SubjectAsync(host);
        var market = await host.TokenClientAsync("市场监管局");
        var tax = await host.TokenClientAsync("税务局");
        var c = await JsonAsync(await market.PostAsJsonAsync("/api/v1/commitments", new { kind = "voluntary", code = Code, content = "诚信经营" }));
        var id = c.GetProperty("id").GetInt64();

        var r = await tax.PostAsJsonAsync($"/api/v1/commitments/{id}/suspect-breach", new { facts = "x" });
        r.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await tax.GetAsync($"/api/v1/commitments/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.CreateClient().PostAsJsonAsync("/api/v1/commitments", new { kind = "voluntary", code = Code, content = "x" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Import_CsvFile_ReportsRowErrorsAndCountsCoverage()
    {
        await using var host = await WebHost.StartAsync();
        await SubjectAsync(host);
        await SubjectAsync(host, "昆山市另一公司", "91320583MA1K314J7X");
        var client = await host.TokenClientAsync("行政审批局");
        var csv = "承诺编号,承诺类型,统一社会信用代码,承诺事项,承诺内容,承诺日期\n" +
                  $"A1,主动型,{Code},,诚信经营,2026-01-05\n" +
                  "A2,告知承诺,91320583MA1K314J7X,公共场所卫生许可,符合卫生条件,2026-01-06\n" +
                  "A3,告知承诺,91320583MA1K314J7X,,缺少事项,2026-01-06\n";
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "commitments.csv" } };
        var result = await JsonAsync(await client.PostAsync("/api/v1/commitments/import", form));
        result.GetProperty("created").GetInt64().ShouldBe(2);
        var error = result.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("row").GetInt64().ShouldBe(4);
        error.GetProperty("code").GetString().ShouldBe("matter-required");

        var coverage = await JsonAsync(await client.GetAsync("/api/v1/commitments/coverage"));
        coverage.GetProperty("marketEntities").GetInt64().ShouldBe(2);
        var targets = coverage.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetProperty("id").GetString()!);
        targets["market-coverage"].GetProperty("covered").GetInt64().ShouldBe(1);
        targets["market-coverage"].GetProperty("percent").GetDecimal().ShouldBe(50.0m);
        targets["market-coverage"].GetProperty("met").GetBoolean().ShouldBeFalse();
        targets["approval-replacing-matters"].GetProperty("covered").GetInt64().ShouldBe(1);
        targets["approval-replacing-matters"].GetProperty("base").GetInt64().ShouldBe(5);
        var byDept = coverage.GetProperty("byDepartment").EnumerateArray().ToList();
        byDept.Count.ShouldBe(2);
        byDept.ShouldAllBe(d => d.GetProperty("departmentName").GetString() == "行政审批局" && d.GetProperty("base").GetInt64() == 2);
        var page = await (await host.TokenClientAsync("行政审批局")).GetStringAsync("/staff/commitments/coverage");
        page.ShouldContain("50.0%");
    }

    [Fact]
    public async Task PublicPost_OnlineCommitment_AppearsOnTheSubjectPage_ContactNotShown()
    {
        await using var host = await WebHost.StartAsync();
        var subject = await SubjectAsync(host);
        var anonymous = host.CreateClient();
        var r = await anonymous.PostAsJsonAsync("/api/v1/public/commitments",
            new { code = Code, kind = "voluntary", content = "守法诚信经营，不制售假冒伪劣商品。", contactName = "王小明", contactPhone = "13912345678" });
        r.StatusCode.ShouldBe(HttpStatusCode.Created);
        var html = await anonymous.GetStringAsync($"/subjects/{subject}");
        html.ShouldContain("守法诚信经营，不制售假冒伪劣商品。");
        html.ShouldContain("网上自主承诺");
        html.ShouldNotContain("13912345678");
        html.ShouldNotContain("王小明");

        var refused = await anonymous.PostAsJsonAsync("/api/v1/public/commitments", new { code = Code, kind = "incomplete-application", content = "x", contactName = "a", contactPhone = "1" });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonAsync(refused)).GetProperty("code").GetString().ShouldBe("not-online");
    }
}
