using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Public;

/// <summary>The public website and its machine-readable twins: visibility by the rules, expiry, and personal data.</summary>
public sealed partial class PublicSiteTests
{
    private static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(4, seed: 77);
    private const string PersonId = "320583198804120024";
    private const string PersonName = "杨松林";
    private const string RepresentativeId = "320583197512066615";

    internal static MultipartFormDataContent FileContent(string csv, string name)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", name);
        return content;
    }

    /// <summary>A penalty for 昆山精密机械 decided 2024-03-15 (order 58: shown until 2027-03-14), a natural person's penalty and licence.</summary>
    internal static async Task LoadAsync(WebHost host)
    {
        var client = await host.TokenClientAsync();
        var penalty = PenaltyFile.Row("昆山精密机械有限公司", Codes[0], "昆市监罚〔2024〕88号", "2024-03-15", "3");
        penalty["CF_FR_ZJHM"] = RepresentativeId;
        penalty["CF_XDR_ZJLX"] = null;
        var person = PenaltyFile.Row(PersonName, "", "昆市监罚〔2026〕89号", "2026-12-01", "0.5");
        person["CF_XDR_LB"] = "自然人";
        person["CF_XDR_ZJLX"] = "身份证";
        person["CF_XDR_ZJHM"] = PersonId;
        person["CF_SY"] = $"当事人{PersonName}（公民身份号码{PersonId}）销售过期食品。";
        var file = new PenaltyFile().Add(penalty).Add(PenaltyFile.Row("昆山物流有限公司", Codes[1], "昆市监罚〔2026〕90号", "2026-12-20", "5")).Add(person);
        file.Header.Add("CF_FR_ZJHM");
        var r1 = await client.PostAsync("/api/v1/submissions?type=penalty&wait=true", FileContent(file.ToCsv(), "penalties.csv"));
        var body1 = await r1.Content.ReadAsStringAsync();
        JsonDocument.Parse(body1).RootElement.GetProperty("accepted").GetInt64().ShouldBe(3, body1);

        var licences = new StringBuilder()
            .AppendLine("XK_XDR_MC,XK_XDR_LB,XK_XDR_ZJLX,XK_XDR_ZJHM,XK_XKWS,XK_WSH,XK_XKLB,XK_XKZS,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG")
            .AppendLine($"{PersonName},自然人,身份证,{PersonId},准予行政许可决定书,昆市监许〔2027〕1号,普通,食品经营许可证,{PersonName}经营预包装食品销售,2027-01-10,2027-01-10,2099-12-31,昆山市市场监督管理局")
            .ToString();
        var r2 = await client.PostAsync("/api/v1/submissions?type=licence&wait=true", FileContent(licences, "licences.csv"));
        var body2 = await r2.Content.ReadAsStringAsync();
        JsonDocument.Parse(body2).RootElement.GetProperty("accepted").GetInt64().ShouldBe(1, body2);
    }

    private static FakeClock At(string chinaTime) => new(DateTimeOffset.Parse(chinaTime + "+08:00", System.Globalization.CultureInfo.InvariantCulture));

    [Theory, DatabaseProviders]
    public async Task PenaltyPastItsMaximumPeriod_IsGoneFromPageApiFeedsAndCsv_WithoutAnyoneActing(string provider)
    {
        var clock = At("2027-03-14T23:00:00");
        await using var host = await WebHost.StartAsync(provider, clock: clock);
        await LoadAsync(host);
        var client = host.CreateClient();
        var subjectId = await SubjectIdAsync(client, Codes[0]);
        string[] surfaces = [$"/subjects/{subjectId}", $"/subjects/{subjectId}/print", $"/api/v1/public/subjects/{subjectId}", "/publicity/penalties",
            "/api/v1/public/penalties", "/feeds/penalties.atom", "/feeds/penalties.rss", "/open-data/penalties.csv"];

        foreach (var path in surfaces)
        {
            (await GetTextAsync(client, path)).ShouldContain("昆市监罚〔2024〕88号", customMessage: path);
        }
        (await GetTextAsync(client, $"/subjects/{subjectId}")).ShouldContain("2027-03-14");
        // The kinds are shown as a reader writes them, not as stored ("警告;罚款").
        (await GetTextAsync(client, $"/subjects/{subjectId}")).ShouldContain("<dd>警告、罚款</dd>");
        (await GetTextAsync(client, "/publicity/penalties")).ShouldContain("警告、罚款");
        (await GetTextAsync(client, "/")).ShouldContain("昆山精密机械有限公司");

        clock.Advance(TimeSpan.FromHours(2)); // 2027-03-15 01:00 in China: the first day after the maximum period

        foreach (var path in surfaces)
        {
            (await GetTextAsync(client, path)).ShouldNotContain("昆市监罚〔2024〕88号", customMessage: path);
        }
        (await GetTextAsync(client, $"/subjects/{subjectId}")).ShouldContain("另有 1 条信息已超过公示期限");
        (await GetTextAsync(client, "/")).ShouldNotContain("昆山精密机械有限公司");
        (await GetTextAsync(client, "/publicity/penalties")).ShouldContain("昆市监罚〔2026〕90号");
    }

    [Theory, DatabaseProviders]
    public async Task NaturalPersonIdNumber_IsInNoPublicResponse(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: At("2027-02-01T10:00:00"));
        await LoadAsync(host);
        var client = host.CreateClient();
        var personSubject = await SubjectIdAsync(client, PersonId);
        var ids = new List<long> { personSubject, await SubjectIdAsync(client, Codes[0]), await SubjectIdAsync(client, Codes[1]) };

        var routes = new List<string>
        {
            "/", "/search", $"/search?q={PersonName}", $"/search?q={PersonId}", "/search?q=昆山精密机械", "/publicity/penalties", "/publicity/licences",
            "/publicity/licences?kind=普通", "/feeds/penalties.atom", "/feeds/licences.atom", "/feeds/penalties.rss", "/feeds/licences.rss",
            "/open-data/penalties.csv", "/open-data/licences.csv", "/open-data", "/api/v1/public/penalties", "/api/v1/public/licences",
            $"/api/v1/public/search?q={PersonId}", $"/api/v1/public/search?q={PersonName}", "/lists/red", "/lists/black", "/about/publicity-rules", "/news",
        };
        foreach (var id in ids) routes.AddRange([$"/subjects/{id}", $"/subjects/{id}/print", $"/api/v1/public/subjects/{id}"]);

        foreach (var path in routes)
        {
            var body = WebUtility.HtmlDecode(await GetTextAsync(client, path));
            body.ShouldNotContain(PersonId, customMessage: path);
            body.ShouldNotContain(RepresentativeId, customMessage: path);
            // A name the visitor typed may be echoed back to them; the platform's own data must never carry it.
            if (!path.Contains(PersonName, StringComparison.Ordinal)) body.ShouldNotContain(PersonName, customMessage: path);
            IdNumber().IsMatch(body).ShouldBeFalse($"{path} contains something shaped like an ID number");
        }

        // The natural person's licence is public, masked; the penalty is withheld and the page says why.
        var page = await GetTextAsync(client, $"/subjects/{personSubject}");
        page.ShouldContain("杨**");
        page.ShouldContain("昆市监许〔2027〕1号");
        page.ShouldNotContain("昆市监罚〔2026〕89号");
        page.ShouldContain("涉及自然人，依规不在网站公示");
        (await GetTextAsync(client, $"/search?q={PersonName}")).ShouldContain("没有找到");
    }

    [Fact]
    public async Task Column_FiltersByDepartmentDateAndKind_AndReportsBadDates()
    {
        await using var host = await WebHost.StartAsync(clock: At("2027-02-01T10:00:00"));
        await LoadAsync(host);
        var client = host.CreateClient();
        var market = await host.DepartmentAsync("市场监管局");
        var tax = await host.DepartmentAsync("税务局");

        var json = JsonDocument.Parse(await GetTextAsync(client, $"/api/v1/public/penalties?department={market.Id}&from=2026-12-01"));
        json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("decisionNumber").GetString()).ShouldBe(["昆市监罚〔2026〕90号"]);
        (await GetTextAsync(client, $"/publicity/penalties?department={tax.Id}")).ShouldContain("没有符合条件的公示信息");
        (await GetTextAsync(client, "/publicity/penalties?kind=吊销许可证件")).ShouldContain("没有符合条件的公示信息");
        (await GetTextAsync(client, "/publicity/penalties?kind=罚款")).ShouldContain("昆市监罚〔2024〕88号");
        (await GetTextAsync(client, "/publicity/penalties?from=2026-02-30")).ShouldContain("日期“2026-02-30”无法识别");
        (await client.GetAsync("/publicity/fines")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/subjects/999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ColumnAndSearch_PageTwoShowsTheNextRecords()
    {
        await using var host = await WebHost.StartAsync(clock: At("2027-02-01T10:00:00"));
        var codes = PenaltyFile.Codes(25, seed: 5);
        var file = new PenaltyFile();
        for (var i = 0; i < 25; i++)
        {
            file.Add(PenaltyFile.Row($"昆山翻页测试{i:00}有限公司", codes[i], $"昆市监罚〔2026〕{200 + i}号", $"2026-12-{i + 1:00}", "2"));
        }
        var client = await host.TokenClientAsync();
        (await client.PostAsync("/api/v1/submissions?type=penalty&wait=true", FileContent(file.ToCsv(), "p.csv"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var anonymous = host.CreateClient();

        var first = await GetTextAsync(anonymous, "/publicity/penalties");
        first.ShouldContain("昆市监罚〔2026〕224号");
        first.ShouldNotContain("昆市监罚〔2026〕200号");
        var second = await GetTextAsync(anonymous, "/publicity/penalties?page=2");
        second.ShouldContain("昆市监罚〔2026〕200号");
        second.ShouldNotContain("昆市监罚〔2026〕224号");

        var names = await GetTextAsync(anonymous, "/search?q=昆山翻页测试");
        var names2 = await GetTextAsync(anonymous, "/search?q=昆山翻页测试&page=2");
        var onFirst = ResultNames().Matches(names).Select(m => m.Value).ToHashSet();
        var onSecond = ResultNames().Matches(names2).Select(m => m.Value).ToHashSet();
        onFirst.Count.ShouldBe(20);
        onSecond.Count.ShouldBe(5);
        onFirst.Overlaps(onSecond).ShouldBeFalse();
    }

    [GeneratedRegex("昆山翻页测试\\d\\d有限公司(?=</a>)")]
    private static partial Regex ResultNames();

    [Fact]
    public async Task Feeds_AreWellFormedAtomAndRss()
    {
        await using var host = await WebHost.StartAsync(clock: At("2027-02-01T10:00:00"));
        await LoadAsync(host);
        var client = host.CreateClient();

        var atom = System.Xml.Linq.XDocument.Parse(await GetTextAsync(client, "/feeds/penalties.atom"));
        System.Xml.Linq.XNamespace a = "http://www.w3.org/2005/Atom";
        atom.Root!.Name.ShouldBe(a + "feed");
        atom.Root.Elements(a + "entry").Count().ShouldBe(2);
        var rss = System.Xml.Linq.XDocument.Parse(await GetTextAsync(client, "/feeds/licences.rss"));
        rss.Root!.Element("channel")!.Elements("item").Count().ShouldBe(1);
        var csv = await client.GetAsync("/open-data/penalties.csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(3);
    }

    internal static async Task<long> SubjectIdAsync(HttpClient client, string code)
    {
        var json = JsonDocument.Parse(await GetTextAsync(client, $"/api/v1/public/search?q={code}"));
        return json.RootElement.GetProperty("items")[0].GetProperty("subjectId").GetInt64();
    }

    internal static async Task<string> GetTextAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();
}
