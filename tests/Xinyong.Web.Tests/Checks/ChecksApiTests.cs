using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Checks;

public sealed class ChecksApiTests
{
    [Theory, DatabaseProviders]
    public async Task Single_SubjectWithRevokedLicence_FailsNamingRuleAndRecordAndIsAudited(string provider)
    {
        await using var host = await WebHost.StartAsync(provider);
        var f = await CheckFixture.CreateAsync(host, 41);
        var client = await host.TokenClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/checks", new { purpose = "employment-subsidy", code = f.Serious, reference = "稳岗返还申请 2026-118" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var result = body.GetProperty("result");
        result.GetProperty("outcome").GetString().ShouldBe("fail");
        result.GetProperty("matchMethod").GetString().ShouldBe("code");
        var reason = result.GetProperty("reasons")[0];
        reason.GetProperty("ruleId").GetString().ShouldBe("serious-penalty-12-months");
        reason.GetProperty("evidenceKind").GetString().ShouldBe("record");
        reason.GetProperty("textZh").GetString()!.ShouldContain("昆市监处罚〔2026〕411号");
        body.GetProperty("run").GetProperty("purposeVersion").GetInt32().ShouldBe(1);

        var clean = await client.PostAsJsonAsync("/api/v1/checks", new { purpose = "employment-subsidy", name = CheckFixture.GeneralName });
        (await clean.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetProperty("outcome").GetString().ShouldBe("pass");

        var unknown = await client.PostAsJsonAsync("/api/v1/checks", new { purpose = "no-such-purpose", code = f.Serious });
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detailZh").GetString()!.ShouldContain("未知的核查用途");

        (await host.Get<Data.Auditing.AuditLog>().RecentAsync()).ShouldContain(a => a.Action == "check.single" && a.Detail!.Contains("2026-118"));
    }

    [Theory, DatabaseProviders]
    public async Task Batch_CsvByCodeAndName_ResultFilesListEveryRowWithHowMatchedAndWhy(string provider)
    {
        await using var host = await WebHost.StartAsync(provider);
        var f = await CheckFixture.CreateAsync(host, 42);
        var client = await host.TokenClientAsync();
        var csv = new StringBuilder()
            .AppendLine("统一社会信用代码,名称")
            .AppendLine($"{f.Serious},")
            .AppendLine($"{f.General},{CheckFixture.GeneralName}")
            .AppendLine($",{CheckFixture.CleanName.Replace("有限公司", "有限责任公司", StringComparison.Ordinal)}")
            .AppendLine("91320583MA1XXXXX00,")
            .AppendLine(",上海完全不相干咨询有限公司")
            .ToString();

        var response = await client.PostAsync("/api/v1/checks/batches?purpose=employment-subsidy&reference=2026年度稳岗返还第一批&wait=true", CheckFixture.File(csv, "qiye.csv"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        run.GetProperty("status").GetString().ShouldBe("done");
        (run.GetProperty("rowsTotal").GetInt32(), run.GetProperty("failed").GetInt32(), run.GetProperty("passed").GetInt32(), run.GetProperty("notFound").GetInt32())
            .ShouldBe((5, 1, 2, 2));
        var id = run.GetProperty("id").GetInt64();

        var csvResult = await client.GetAsync($"/api/v1/checks/runs/{id}/results?format=csv");
        csvResult.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csvResult.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(6);
        lines[0].ShouldStartWith("行号,输入代码,输入名称,匹配主体");
        lines[1].ShouldContain("不通过");
        lines[1].ShouldContain("serious-penalty-12-months");
        lines[2].ShouldContain("代码精确匹配");
        lines[3].ShouldContain("名称匹配");
        lines[3].ShouldContain(CheckFixture.CleanName);
        lines[4].ShouldContain("未找到主体");
        lines[5].ShouldContain("not_found");

        var xlsx = await client.GetAsync($"/api/v1/checks/runs/{id}/results?format=xlsx");
        using var reader = new Core.Ingestion.Sources.XlsxTableReader(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        reader.Header[8].ShouldBe("核查结果");
        reader.Read().ShouldBeTrue();
        reader.Current[9].ShouldBe("fail");

        var failed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/checks/runs/{id}/results?outcome=fail");
        failed.GetArrayLength().ShouldBe(1);
        failed[0].GetProperty("inputCode").GetString().ShouldBe(f.Serious);

        var rerun = await client.PostAsync($"/api/v1/checks/runs/{id}/rerun", null);
        var compared = await rerun.Content.ReadFromJsonAsync<JsonElement>();
        compared.GetProperty("sameDataVersion").GetBoolean().ShouldBeTrue();
        compared.GetProperty("changedRows").GetInt32().ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task SavePurpose_DepartmentTokenRefusedAndBadFileRefused(string provider)
    {
        await using var host = await WebHost.StartAsync(provider);
        var client = await host.TokenClientAsync();
        var purposes = await client.GetFromJsonAsync<JsonElement>("/api/v1/checks/purposes");
        var definition = purposes.EnumerateArray().First(p => p.GetProperty("id").GetString() == "award-review").GetProperty("definition").GetString();

        var edit = await client.PutAsJsonAsync("/api/v1/checks/purposes/award-review", new { definition, note = "x" });
        edit.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var bad = await client.PostAsync("/api/v1/checks/batches?purpose=award-review", CheckFixture.File("甲,乙\n1,2\n", "bad.csv"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detailZh").GetString()!.ShouldContain("统一社会信用代码");
    }
}
