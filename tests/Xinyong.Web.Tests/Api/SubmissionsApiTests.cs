using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Api;

public sealed class SubmissionsApiTests
{
    private static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(5, seed: 21);

    private static MultipartFormDataContent FileContent(string csv, string name = "penalties.csv")
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", name);
        return content;
    }

    [Theory, DatabaseProviders]
    public async Task Submit_FileWithTokenAndWait_ReturnsCountsAndRejectsAsSpreadsheet(string provider)
    {
        await using var host = await WebHost.StartAsync(provider);
        var client = await host.TokenClientAsync();
        var csv = new PenaltyFile()
            .Add(PenaltyFile.Row("昆山甲有限公司", Codes[0], "文号1"))
            .Add(PenaltyFile.Row("昆山乙有限公司", Codes[1], "文号2", fine: "3000元"))
            .ToCsv();

        var response = await client.PostAsync("/api/v1/submissions?type=penalty&wait=true", FileContent(csv));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().ShouldBe("completed");
        body.GetProperty("accepted").GetInt64().ShouldBe(1);
        body.GetProperty("rejected").GetInt64().ShouldBe(1);
        body.GetProperty("channel").GetString().ShouldBe("api");
        var id = body.GetProperty("id").GetInt64();

        var rejects = await client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}/rejects");
        rejects[0].GetProperty("row").GetInt64().ShouldBe(3);
        rejects[0].GetProperty("field").GetString().ShouldBe("CF_NR_FK");
        rejects[0].GetProperty("reasonZh").GetString()!.ShouldContain("万元");

        var xlsx = await client.GetAsync($"/api/v1/submissions/{id}/rejects?format=xlsx");
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        using var reader = new Core.Ingestion.Sources.XlsxTableReader(new MemoryStream(bytes));
        reader.Read().ShouldBeTrue();
        reader.Current[0].ShouldBe("3");

        var subject = await client.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{Codes[0]}");
        subject.GetProperty("name").GetString().ShouldBe("昆山甲有限公司");
        subject.GetProperty("records").GetArrayLength().ShouldBe(1);
        subject.GetProperty("records")[0].GetProperty("submissionId").GetInt64().ShouldBe(id);
    }

    [Fact]
    public async Task Submit_JsonRowsAsync_IsProcessedInBackground()
    {
        await using var host = await WebHost.StartAsync();
        var client = await host.TokenClientAsync();
        var rows = new[] { PenaltyFile.Row("丙公司", Codes[2], "文号9") };

        var response = await client.PostAsJsonAsync("/api/v1/submissions?type=penalty", rows);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        response.Headers.Location.ShouldNotBeNull();
        JsonElement status = default;
        for (var i = 0; i < 100; i++)
        {
            status = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location!.ToString());
            if (status.GetProperty("status").GetString() == "completed") break;
            await Task.Delay(100);
        }
        status.GetProperty("status").GetString().ShouldBe("completed");
        status.GetProperty("accepted").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Api_Errors_AreProblemDetailsInTheCallersLanguage()
    {
        await using var host = await WebHost.StartAsync();
        var anonymous = host.CreateClient();
        (await anonymous.GetAsync("/api/v1/submissions")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var client = await host.TokenClientAsync();
        var unknownType = await client.PostAsync("/api/v1/submissions?type=tax", FileContent("a,b\n1,2\n"));
        unknownType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknownType.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await unknownType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("数据类型");

        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var missing = await client.GetAsync("/api/v1/submissions/999");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("Submission 999 does not exist");

        var empty = await client.PostAsync("/api/v1/submissions?type=penalty", FileContent(""));
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var otherDept = await client.PostAsync("/api/v1/submissions?type=penalty&department=应急管理局", FileContent("x\n"));
        otherDept.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var unknownDept = await client.PostAsync("/api/v1/submissions?type=penalty&department=不存在局", FileContent("x\n"));
        unknownDept.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Submissions_OfAnotherDepartment_AreHiddenFromItsSystems()
    {
        await using var host = await WebHost.StartAsync();
        var market = await host.TokenClientAsync("市场监管局");
        var safety = await host.TokenClientAsync("应急管理局");
        var created = await market.PostAsync("/api/v1/submissions?type=penalty&wait=true",
            FileContent(new PenaltyFile().Add(PenaltyFile.Row("丁公司", Codes[3], "文号1")).ToCsv()));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        (await safety.GetAsync($"/api/v1/submissions/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await safety.GetAsync($"/api/v1/submissions/{id}/rejects")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await safety.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetArrayLength().ShouldBe(0);
        (await market.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Platform_ExposesHealthOpenApiAndMemberUnits()
    {
        await using var host = await WebHost.StartAsync();
        var anonymous = host.CreateClient();
        var health = await anonymous.GetFromJsonAsync<JsonElement>("/health");
        health.GetProperty("status").GetString().ShouldBe("healthy");
        var openapi = await anonymous.GetStringAsync("/openapi/v1.json");
        openapi.ShouldContain("/api/v1/submissions");
        openapi.ShouldContain("/api/v1/subjects/{code}");

        var client = await host.TokenClientAsync();
        var departments = await client.GetFromJsonAsync<JsonElement>("/api/v1/departments");
        departments.EnumerateArray().Select(d => d.GetProperty("name").GetString()).ShouldContain("柏庐城市管理办事处");
        departments.GetArrayLength().ShouldBeGreaterThan(60);
    }

    [Fact]
    public async Task Subjects_NaturalPerson_IsMaskedInApiAndViewingIsAudited()
    {
        await using var host = await WebHost.StartAsync();
        var client = await host.TokenClientAsync();
        var person = PenaltyFile.Row("张三丰", null!, "文号1");
        person["CF_XDR_LB"] = "自然人";
        person["CF_XDR_ZJLX"] = "身份证";
        person["CF_XDR_ZJHM"] = "11010519491231002X";
        await client.PostAsync("/api/v1/submissions?type=penalty&wait=true", FileContent(new PenaltyFile().Add(person).ToCsv()));

        var json = await client.GetStringAsync("/api/v1/subjects/11010519491231002X");

        json.ShouldNotContain("11010519491231002X");
        json.ShouldNotContain("张三丰");
        json.ShouldContain("张**");
        var audit = await host.Get<Data.Auditing.AuditLog>().RecentAsync();
        audit.ShouldContain(a => a.Action == "personal_data.view_masked");
    }

    [Fact]
    public async Task Statistics_Collection_CountsRejectsByReasonAndLateRows()
    {
        await using var host = await WebHost.StartAsync();
        var client = await host.TokenClientAsync();
        var csv = new PenaltyFile()
            .Add(PenaltyFile.Row("甲", Codes[0], "文号1", date: "2020-01-02"))
            .Add(PenaltyFile.Row("乙", Codes[1], "文号2", date: "bad"))
            .ToCsv();
        await client.PostAsync("/api/v1/submissions?type=penalty&wait=true", FileContent(csv));

        var stats = await client.GetFromJsonAsync<JsonElement>("/api/v1/statistics/collection");

        var row = stats[0];
        row.GetProperty("department").GetString().ShouldBe("scjgj");
        row.GetProperty("submitted").GetInt64().ShouldBe(2);
        row.GetProperty("accepted").GetInt64().ShouldBe(1);
        row.GetProperty("late").GetInt64().ShouldBe(1);
        row.GetProperty("rejectedByReason").GetProperty("bad_date").GetInt64().ShouldBe(1);
    }
}
