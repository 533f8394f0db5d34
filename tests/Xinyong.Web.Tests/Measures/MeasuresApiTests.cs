using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Core.Measures;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using static Xinyong.Web.Tests.Measures.MeasuresWebFixture;

namespace Xinyong.Web.Tests.Measures;

public sealed class MeasuresApiTests
{
    private static readonly DateOnly Listed = new(2026, 10, 9);

    private static FakeClock Clock() => new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage r, HttpStatusCode status, string code)
    {
        r.StatusCode.ShouldBe(status);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("code").GetString().ShouldBe(code);
        body.GetProperty("detailZh").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("detailEn").GetString().ShouldNotBeNullOrWhiteSpace();
        return body;
    }

    private static object Ask(string? matter = "procurement", string? code = null, string? name = null, string? department = null) =>
        new { matterKind = matter, matterRef = "KSCG-2026-118", matterTitle = "办公家具采购", subjectCode = code, subjectName = name, department };

    [Theory, DatabaseProviders]
    public async Task Queries_AskThenReport_MeasureWithBasisAndFeedbackStored(string provider)
    {
        await using var host = await StartAsync(provider, clock: Clock());
        var uscc = Code(31);
        var company = await SubjectAsync(host, "昆山某某建材有限公司", uscc);
        var entry = await DefaulterAsync(host, company, "（2026）苏0583执1234号", Listed);
        var finance = await host.TokenClientAsync("财政局");

        var asked = await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask(code: uscc));
        asked.StatusCode.ShouldBe(HttpStatusCode.Created);
        var q = await asked.Content.ReadFromJsonAsync<JsonElement>();
        var id = q.GetProperty("id").GetInt64();
        q.GetProperty("dueOn").GetString().ShouldBe("2026-12-04");
        var item = q.GetProperty("items")[0];
        item.GetProperty("measureId").GetString().ShouldBe("P-PROC-01");
        item.GetProperty("legalBasis").GetString()!.ShouldContain("政府采购法");
        item.GetProperty("basis")[0].GetProperty("entryId").GetInt64().ShouldBe(entry);
        item.GetProperty("basis")[0].GetProperty("listNameZh").GetString().ShouldBe("失信被执行人名单");

        var reported = await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback",
            new { reports = new[] { new { measureId = "P-PROC-01", applied = true, action = "资格审查不通过，拒绝其参加本次采购" } } });
        reported.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await reported.Content.ReadFromJsonAsync<JsonElement>();
        after.GetProperty("status").GetString().ShouldBe(MeasureQueryStatus.Answered);
        after.GetProperty("items")[0].GetProperty("applied").GetBoolean().ShouldBeTrue();

        var stats = await finance.GetFromJsonAsync<JsonElement>("/api/v1/measures/statistics?from=2026-11-01&to=2026-11-30");
        stats[0].GetProperty("applied").GetInt32().ShouldBe(1);
        stats[0].GetProperty("feedbackRate").GetDouble().ShouldBe(1.0);
    }

    [Fact]
    public async Task Queries_Refusals_EachAProblemWithReason()
    {
        await using var host = await StartAsync(clock: Clock());
        var uscc = Code(32);
        var company = await SubjectAsync(host, "昆山宏达机械有限公司", uscc);
        await SubjectAsync(host, "昆山宏达机械有限公司", Code(33));
        await DefaulterAsync(host, company, "（2026）苏0583执9号", Listed);
        var finance = await host.TokenClientAsync("财政局");
        var admin = await SignInAsync(host, "admin");

        (await host.CreateClient().PostAsJsonAsync("/api/v1/measures/queries", Ask(code: uscc))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await ProblemAsync(await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask(matter: "lottery", code: uscc)), HttpStatusCode.BadRequest, "unknown-matter-kind");
        await ProblemAsync(await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask()), HttpStatusCode.BadRequest, "subject-required");
        await ProblemAsync(await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask(code: Code(34))), HttpStatusCode.NotFound, "subject-not-found");
        var ambiguous = await ProblemAsync(await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask(name: "昆山宏达机械有限公司")), HttpStatusCode.Conflict, "subject-ambiguous");
        ambiguous.GetProperty("candidates").GetArrayLength().ShouldBe(2);
        await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/measures/queries", Ask(code: uscc)), HttpStatusCode.BadRequest, "department_required");
        await ProblemAsync(await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask(code: uscc, department: "住建局")), HttpStatusCode.Forbidden, "forbidden");

        var q = await (await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask(code: uscc))).Content.ReadFromJsonAsync<JsonElement>();
        var id = q.GetProperty("id").GetInt64();
        object Report(string measure, bool? applied, string? action = null, string? reason = null) =>
            new { reports = new[] { new { measureId = measure, applied, action, reasonNotApplied = reason } } };

        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id + 100}/feedback", Report("P-PROC-01", true, "拒绝")), HttpStatusCode.NotFound, "query-not-found");
        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", Report("P-NOPE-01", true, "拒绝")), HttpStatusCode.NotFound, "measure-not-found");
        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", new { reports = Array.Empty<object>() }), HttpStatusCode.BadRequest, "reports-required");
        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", Report("P-PROC-01", null)), HttpStatusCode.BadRequest, "applied-required");
        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", Report("P-PROC-01", true)), HttpStatusCode.BadRequest, "action-required");
        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", Report("P-PROC-01", false)), HttpStatusCode.BadRequest, "reason-required");
        var housing = await host.TokenClientAsync("住建局");
        await ProblemAsync(await housing.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", Report("P-PROC-01", true, "拒绝")), HttpStatusCode.Forbidden, "not-your-query");
        await ProblemAsync(await housing.GetAsync($"/api/v1/measures/queries/{id}"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAsync(await finance.GetAsync($"/api/v1/measures/queries/{id + 100}"), HttpStatusCode.NotFound, "query-not-found");

        (await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", Report("P-PROC-01", false, reason: "该企业已履行完毕"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{id}/feedback", Report("P-PROC-01", true, "拒绝")), HttpStatusCode.Conflict, "already-answered");
    }

    [Fact]
    public async Task LenientRules_SetByStaffHonouredByQueryAndRefusals()
    {
        await using var host = await StartAsync(clock: Clock());
        var uscc = Code(35);
        var company = await SubjectAsync(host, "昆山某某口罩有限公司", uscc);
        var entry = await DefaulterAsync(host, company, "（2026）苏0583执35号", Listed);
        var finance = await host.TokenClientAsync("财政局");
        var officer = await SignInAsync(host, "czj-officer");
        var rule = new
        {
            kind = LenientKinds.MinorExemption, subjectCode = uscc, listEntryId = entry, legalBasis = "《关于进一步加强疫情防控期间信用管理和服务工作的通知》（昆信用办〔2020〕2号）",
            reason = "因参与疫情防控物资生产导致合同逾期", validFrom = "2026-11-20",
        };

        await ProblemAsync(await finance.PostAsJsonAsync("/api/v1/measures/lenient-rules", rule), HttpStatusCode.Forbidden, "staff-only");
        await ProblemAsync(await officer.PostAsJsonAsync("/api/v1/measures/lenient-rules", rule with { legalBasis = "" }), HttpStatusCode.BadRequest, "legal-basis-required");
        await ProblemAsync(await officer.PostAsJsonAsync("/api/v1/measures/lenient-rules", rule with { kind = LenientKinds.ForceMajeure }), HttpStatusCode.BadRequest, "period-required");
        await ProblemAsync(await officer.PostAsJsonAsync("/api/v1/measures/lenient-rules", rule with { subjectCode = Code(36) }), HttpStatusCode.NotFound, "subject-not-found");
        var created = await officer.PostAsJsonAsync("/api/v1/measures/lenient-rules", rule);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var ruleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var q = await (await finance.PostAsJsonAsync("/api/v1/measures/queries", Ask(code: uscc))).Content.ReadFromJsonAsync<JsonElement>();
        q.GetProperty("status").GetString().ShouldBe(MeasureQueryStatus.NothingToReport);
        var item = q.GetProperty("items")[0];
        item.GetProperty("withheld").GetBoolean().ShouldBeTrue();
        item.GetProperty("withheldBy")[0].GetProperty("ruleId").GetInt64().ShouldBe(ruleId);
        await ProblemAsync(await finance.PostAsJsonAsync($"/api/v1/measures/queries/{q.GetProperty("id").GetInt64()}/feedback",
            new { reports = new[] { new { measureId = "P-PROC-01", applied = false, reasonNotApplied = "豁免" } } }), HttpStatusCode.Conflict, "measure-withheld");

        await ProblemAsync(await officer.PostAsJsonAsync($"/api/v1/measures/lenient-rules/{ruleId + 50}/revoke", new { reason = "x" }), HttpStatusCode.NotFound, "rule-not-found");
        await ProblemAsync(await officer.PostAsJsonAsync($"/api/v1/measures/lenient-rules/{ruleId}/revoke", new { reason = "" }), HttpStatusCode.BadRequest, "reason-required");
        (await officer.PostAsJsonAsync($"/api/v1/measures/lenient-rules/{ruleId}/revoke", new { reason = "经复核不属于轻微失信" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ProblemAsync(await officer.PostAsJsonAsync($"/api/v1/measures/lenient-rules/{ruleId}/revoke", new { reason = "again" }), HttpStatusCode.Conflict, "already-revoked");
    }

    [Fact]
    public async Task Catalogue_ExportEditImport_NewVersionAndRefusals()
    {
        await using var host = await StartAsync(clock: Clock());
        var admin = await SignInAsync(host, "admin");
        var officer = await SignInAsync(host, "czj-officer");

        var xlsx = await admin.GetAsync("/api/v1/measures/catalogue?format=xlsx");
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        var rows = new List<string?[]>();
        using (var reader = new XlsxTableReader(new MemoryStream(bytes)))
        {
            while (reader.Read()) rows.Add(reader.Current.ToArray());
        }
        rows.Count.ShouldBe((await admin.GetFromJsonAsync<JsonElement>("/api/v1/measures/catalogue")).GetProperty("measures").GetArrayLength());

        // Edit: keep the first three measures, change one text, blank a legal basis in a copy for the refusal.
        MultipartFormDataContent Form(IEnumerable<string?[]> data, string version)
        {
            var ms = new MemoryStream();
            using (var w = new XlsxTableWriter(ms, "s", MeasureCatalogueSheet.Header))
            {
                foreach (var r in data) w.WriteRow(r);
            }
            var content = new MultipartFormDataContent();
            var file = new ByteArrayContent(ms.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            content.Add(file, "file", "catalogue.xlsx");
            content.Add(new StringContent(version), "version");
            content.Add(new StringContent("2026-11-18"), "issuedOn");
            return content;
        }
        var kept = rows.Take(3).Select(r => r.ToArray()).ToList();
        kept[0][3] = "修改后的措施内容";
        var bad = kept.Select(r => r.ToArray()).ToList();
        bad[1][5] = "";

        await ProblemAsync(await officer.PostAsync("/api/v1/measures/catalogue", Form(kept, "v2")), HttpStatusCode.Forbidden, "forbidden");
        var invalid = await ProblemAsync(await admin.PostAsync("/api/v1/measures/catalogue", Form(bad, "v2")), HttpStatusCode.UnprocessableEntity, "catalogue-invalid");
        invalid.GetProperty("errors")[0].GetProperty("row").GetInt64().ShouldBe(3);
        invalid.GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("legalBasis");
        (await admin.PostAsync("/api/v1/measures/catalogue", Form(kept, "v2"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await ProblemAsync(await admin.PostAsync("/api/v1/measures/catalogue", Form(kept, "v2")), HttpStatusCode.Conflict, "version-taken");

        var current = await admin.GetFromJsonAsync<JsonElement>("/api/v1/measures/catalogue");
        current.GetProperty("version").GetString().ShouldBe("v2");
        current.GetProperty("measures").GetArrayLength().ShouldBe(3);
        current.GetProperty("measures")[0].GetProperty("textZh").GetString().ShouldBe("修改后的措施内容");
    }

    [Fact]
    public async Task SubjectRoles_PersonReachedThroughEntityAndWrongKindsRefused()
    {
        await using var host = await StartAsync(clock: Clock());
        var uscc = Code(37);
        var company = await SubjectAsync(host, "昆山某某贸易有限公司", uscc);
        await SubjectAsync(host, "张三丰", null, "natural_person", PersonId);
        await DefaulterAsync(host, company, "（2026）苏0583执37号", Listed);
        var admin = await SignInAsync(host, "admin");

        await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/measures/subject-roles", new { entityCode = uscc, personCode = Code(38), role = "法定代表人" }),
            HttpStatusCode.NotFound, "subject-not-found");
        await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/measures/subject-roles", new { entityCode = PersonId, personCode = uscc, role = "法定代表人" }),
            HttpStatusCode.BadRequest, "entity-required");
        await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/measures/subject-roles", new { entityCode = uscc, personCode = PersonId, role = "董事" }),
            HttpStatusCode.BadRequest, "unknown-role");
        (await admin.PostAsJsonAsync("/api/v1/measures/subject-roles", new { entityCode = uscc, personCode = PersonId, role = "法定代表人", validFrom = "2018-01-01" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var q = await (await admin.PostAsJsonAsync("/api/v1/measures/queries", Ask(matter: "high-consumption", code: PersonId, department: "交通运输局")))
            .Content.ReadFromJsonAsync<JsonElement>();
        q.GetProperty("subjectName").GetString().ShouldBe("张**");
        q.GetProperty("subjectQuery").GetString()!.ShouldNotContain("19491231");
        var basis = q.GetProperty("items")[0].GetProperty("basis")[0];
        basis.GetProperty("viaRole").GetString().ShouldBe(SubjectRoles.LegalRepresentative);
        basis.GetProperty("subjectName").GetString().ShouldBe("昆山某某贸易有限公司");
    }
}
