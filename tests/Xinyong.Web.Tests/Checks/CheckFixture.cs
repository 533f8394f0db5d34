using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Checks;

/// <summary>Three enterprises collected through the API: one with a serious penalty (licence revoked), one with a general one, one clean.</summary>
internal sealed record CheckFixture(string Serious, string General, string Clean)
{
    public const string SeriousName = "昆山铭泰精密五金有限公司";
    public const string GeneralName = "昆山华瑞包装材料有限公司";
    public const string CleanName = "昆山德丰食品贸易有限公司";

    public static async Task<CheckFixture> CreateAsync(WebHost host, int seed)
    {
        var codes = PenaltyFile.Codes(3, seed);
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-20);
        var serious = PenaltyFile.Row(SeriousName, codes[0], $"昆市监处罚〔2026〕{seed}1号", date: PenaltyFile.Date(day), fine: "5");
        serious["CF_CFLB"] = "罚款;吊销许可证件";
        serious["CF_NR"] = "罚款人民币5万元，吊销食品经营许可证";
        var general = PenaltyFile.Row(GeneralName, codes[1], $"昆市监处罚〔2026〕{seed}2号", date: PenaltyFile.Date(day));
        var clean = PenaltyFile.Row(CleanName, codes[2], $"昆市监处罚〔2020〕{seed}3号", date: "2020-01-15");
        var csv = new PenaltyFile().Add(serious).Add(general).Add(clean).ToCsv();
        var client = await host.TokenClientAsync();
        var response = await client.PostAsync("/api/v1/submissions?type=penalty&wait=true", File(csv, "penalties.csv"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("accepted").GetInt64().ShouldBe(3);
        return new CheckFixture(codes[0], codes[1], codes[2]);
    }

    public static MultipartFormDataContent File(string text, string name)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", name);
        return content;
    }
}
