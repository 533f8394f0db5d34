using Xinyong.Data.Publication;
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
        // Records written but not yet through the publication rules (a crash between ingest and projection) catch up
        // in the background; they are simply not public until then.
        var projector = app.Services.GetRequiredService<PublicationProjector>();
        _ = Task.Run(async () =>
        {
            try
            {
                var n = await projector.ProjectPendingAsync(app.Lifetime.ApplicationStopping);
                if (n > 0) log.LogInformation("Publication: {Count} pending records projected", n);
                // Load the name index now rather than on the first visitor's search (seconds at a million subjects).
                await app.Services.GetRequiredService<Xinyong.Data.Search.SubjectSearchIndex>().EnsureLoadedAsync(app.Lifetime.ApplicationStopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Publication catch-up or search index load failed");
            }
        });
    }
}
