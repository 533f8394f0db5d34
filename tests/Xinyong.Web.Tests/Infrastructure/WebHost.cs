using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Auditing;
using Xinyong.Data.Accounts;
using Xinyong.Data.Departments;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Infrastructure;

/// <summary>
/// The real web host on a fresh database (SQLite or PostgreSQL), with intent methods: create an officer,
/// get a department token, submit a file. Optionally served by Kestrel on a free port for browser tests.
/// </summary>
public sealed class WebHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string? _sqlite;
    private readonly string? _pg;
    private readonly string? _pgAdmin;
    private readonly string _home = Path.Combine(Path.GetTempPath(), "xinyong-web-" + Guid.NewGuid().ToString("N"));

    private readonly TimeProvider? _clock;

    private WebHost(Dictionary<string, string?> settings, string? sqlite, string? pg, string? pgAdmin, TimeProvider? clock = null)
    {
        _clock = clock;
        _settings = settings;
        _sqlite = sqlite;
        _pg = pg;
        _pgAdmin = pgAdmin;
        _settings["Demo:Enabled"] = "false";
        _settings["Xinyong:Home"] = _home;
    }

    /// <param name="clock">Replaces the system clock (e.g. a <see cref="FakeClock"/> to move past a publicity period).</param>
    public static async Task<WebHost> StartAsync(string provider = "sqlite", bool kestrel = false, TimeProvider? clock = null)
    {
        var (settings, sqlite, pg, admin) = await TestPlatform.CreateDatabaseAsync(provider);
        var host = new WebHost(settings, sqlite, pg, admin, clock);
        if (kestrel)
        {
            host.UseKestrel(0);
            host.StartServer();
        }
        else
        {
            _ = host.Server;
        }
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.UseEnvironment("Testing");
        if (_clock is not null) builder.ConfigureServices(services => services.AddSingleton(_clock));
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<Department> DepartmentAsync(string name) => (await Get<DepartmentStore>().FindAsync(name))!;

    public async Task<HttpClient> TokenClientAsync(string department = "市场监管局")
    {
        var dept = await DepartmentAsync(department);
        var (_, secret) = await Get<AccountStore>().CreateTokenAsync(dept.Id, "test system", Actor.SystemActor);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public async Task CreateUserAsync(string username, string password, string role, string? department)
    {
        long? dept = department is null ? null : (await DepartmentAsync(department)).Id;
        await Get<AccountStore>().CreateUserAsync(username, username, password, role, dept, Actor.SystemActor);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<T>())!;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestPlatform.DropDatabaseAsync(_sqlite, _pg, _pgAdmin);
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }
}
