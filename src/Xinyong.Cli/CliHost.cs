using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Auditing;
using Xinyong.Data.Platform;

namespace Xinyong.Cli;

/// <summary>
/// The CLI's services, configured like the web host: appsettings.json in the working directory, then environment
/// variables (Database__Provider, Database__ConnectionString).
/// </summary>
internal static class CliHost
{
    public static async Task<ServiceProvider> StartAsync(CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection().AddXinyongData(configuration).BuildServiceProvider();
        await services.GetRequiredService<PlatformSetup>().InitializeAsync(ct);
        return services;
    }

    /// <summary>CLI writes are attributed to the operating-system user running the command.</summary>
    public static Actor Operator(long? departmentId = null) =>
        new(ActorKind.Cli, Environment.GetEnvironmentVariable("XINYONG_ACTOR") ?? Environment.UserName, departmentId);
}
