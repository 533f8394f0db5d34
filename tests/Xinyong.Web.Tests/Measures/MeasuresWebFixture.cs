using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Normalization;
using Xinyong.Data.Accounts;
using Xinyong.Data.Database;
using Xinyong.Data.Lists;
using Xinyong.Data.Platform;
using Xinyong.Identifiers;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Measures;

/// <summary>A web host with an administrator, a finance officer, subjects and a court listing; sign-in helpers.</summary>
internal static partial class MeasuresWebFixture
{
    public const string PersonId = "11010519491231002X";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static string Code(int seed) => CodeGenerator.NextCreditCode(new Random(seed), "320583").Value;

    public static async Task<WebHost> StartAsync(string provider = "sqlite", bool kestrel = false, TimeProvider? clock = null)
    {
        var host = await WebHost.StartAsync(provider, kestrel, clock);
        await host.CreateUserAsync(PlatformSetup.DemoAdminUser, PlatformSetup.DemoAdminPassword, Roles.Admin, null);
        await host.CreateUserAsync("czj-officer", "xinyong-demo", Roles.Officer, "财政局");
        return host;
    }

    public static async Task<long> SubjectAsync(WebHost host, string name, string? uscc, string kind = "legal_person", string? idcard = null)
    {
        await using var conn = await host.Get<XinyongDatabase>().OpenAsync();
        var now = DateTime.UtcNow;
        var key = ChineseText.NameKey(name);
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES (@kind, @uscc, @name, @key, @now, @now) RETURNING id",
            new { kind, uscc, name, key, now });
        await conn.ExecuteAsync("INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@id, @name, @key, @yes, @now)",
            new { id, name, key, yes = true, now });
        if (uscc is not null) await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('uscc', @uscc, @id, 'test')", new { uscc, id });
        if (idcard is not null) await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('idcard', @idcard, @id, 'test')", new { idcard, id });
        return id;
    }

    public static async Task<long> DefaulterAsync(WebHost host, long subject, string caseNumber, DateOnly from)
    {
        var court = await host.DepartmentAsync("fy");
        var (entry, _) = await host.Get<ListStore>().RecordDecidedAsync(new ListDecision("judgment-defaulter", subject, court.Id,
            "有履行能力而拒不履行生效法律文书确定的义务", caseNumber, "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条", caseNumber, from),
            new Actor(ActorKind.System, "court-push", court.Id));
        return entry.Id;
    }

    public static async Task<HttpClient> SignInAsync(WebHost host, string username, string password = "xinyong-demo")
    {
        var client = host.CreateClient(new() { AllowAutoRedirect = false });
        var token = await TokenAsync(client, "/staff/login");
        var response = await client.PostAsync("/staff/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    public static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        token.ShouldNotBeNullOrEmpty();
        return token;
    }
}
