using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Xinyong.Data.Database;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Lists;

/// <summary>Intent helpers for the lists tests: subjects, the usual proposals, and the workflow calls over HTTP.</summary>
internal static class ListsHttp
{
    public static readonly DateTimeOffset Friday = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    public static async Task<long> SubjectAsync(WebHost host, string name, string kind = "legal_person", string? uscc = null, string? idNumber = null)
    {
        await using var conn = await host.Get<XinyongDatabase>().OpenAsync();
        var now = DateTime.UtcNow;
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES (@kind, @uscc, @name, @name, @now, @now) RETURNING id",
            new { kind, uscc, name, now });
        if (uscc is not null)
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('uscc', @uscc, @id, 'test')", new { uscc, id });
        if (idNumber is not null)
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('idcard', @idNumber, @id, 'test')", new { idNumber, id });
        return id;
    }

    public static object Market(long subject) => new
    {
        listType = "serious-dishonesty-market",
        subjectId = subject,
        grounds = "生产销售不符合食品安全标准的食品，情节严重",
        evidence = "昆市监处罚〔2026〕118号",
        legalBasis = "《市场监督管理严重违法失信名单管理办法》第二条",
    };

    public static object Honours(long subject) => new
    {
        listType = "honours",
        subjectId = subject,
        grounds = "2020年2月驰援武汉，受市政府表彰",
        evidence = "昆政发〔2020〕12号",
        legalBasis = "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》",
    };

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static async Task<long> ProposeAsync(HttpClient client, object body)
    {
        var r = await client.PostAsJsonAsync("/api/v1/lists/entries", body);
        if (r.StatusCode != System.Net.HttpStatusCode.Created) throw new InvalidOperationException(await r.Content.ReadAsStringAsync());
        return (await JsonAsync(r)).GetProperty("id").GetInt64();
    }

    public static Task<HttpResponseMessage> StepAsync(HttpClient client, long id, string step, object? body = null) =>
        client.PostAsJsonAsync($"/api/v1/lists/entries/{id}/{step}", body ?? new { });

    /// <summary>Proposal, notice, the window over (clock moved), decision, publication.</summary>
    public static async Task<long> DesignateAsync(HttpClient client, Data.Tests.Infrastructure.FakeClock clock, object proposal)
    {
        var id = await ProposeAsync(client, proposal);
        var noticed = await JsonAsync(await StepAsync(client, id, "notice"));
        var until = DateOnly.Parse(noticed.GetProperty("objectionUntil").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var noticedOn = DateOnly.Parse(noticed.GetProperty("noticedOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        if (until > noticedOn) clock.Now = new DateTimeOffset(until.AddDays(1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        (await StepAsync(client, id, "decide", new { decisionNumber = "决定" + id })).EnsureSuccessStatusCode();
        (await StepAsync(client, id, "publish")).EnsureSuccessStatusCode();
        return id;
    }
}
