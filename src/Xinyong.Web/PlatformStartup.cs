using Xinyong.Data.Platform;

namespace Xinyong.Web;

/// <summary>First start: migrations, member units, and (unless Demo:Enabled is false) demo data in an empty database.</summary>
internal static class PlatformStartup
{
    public static async Task InitializeAsync(WebApplication app)
    {
        var setup = app.Services.GetRequiredService<PlatformSetup>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Xinyong.Startup");
        await setup.InitializeAsync();
        if (app.Configuration.GetValue("Demo:Enabled", true))
        {
            var subjects = app.Configuration.GetValue("Demo:Subjects", 3000);
            var records = app.Configuration.GetValue("Demo:Records", 30000);
            var loaded = await setup.LoadDemoAsync(subjects, records, new Progress<string>(m => log.LogInformation("Demo data: {Step}", m)));
            if (loaded)
            {
                log.LogInformation("Demo data loaded. Staff sign-in: {Admin} / {Password} (credit office), {Officer} / {Password} (市场监管局)",
                    PlatformSetup.DemoAdminUser, PlatformSetup.DemoAdminPassword, PlatformSetup.DemoOfficerUser, PlatformSetup.DemoOfficerPassword);
            }
        }
    }
}
