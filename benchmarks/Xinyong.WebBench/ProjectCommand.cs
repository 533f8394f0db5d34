using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Data.Database;
using Xinyong.Data.Platform;
using Xinyong.Data.Publication;

namespace Xinyong.WebBench;

/// <summary>
/// project: times <see cref="PublicationProjector.ProjectAllAsync"/> over an existing (seeded) database, to decide
/// whether the seeder could leave the publication rows to the platform's projector.
/// </summary>
internal static class ProjectCommand
{
    public static async Task<int> RunAsync(SeedOptions o)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = o.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres",
            ["Database:ConnectionString"] = o.ConnectionString,
        }).Build();
        await using var services = new ServiceCollection().AddXinyongData(configuration).BuildServiceProvider();
        var db = services.GetRequiredService<XinyongDatabase>();
        long records;
        await using (var conn = await db.OpenAsync()) records = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM records");
        var projector = services.GetRequiredService<PublicationProjector>();
        var sw = Stopwatch.StartNew();
        var n = await ConsoleProgress.RunAsync("PublicationProjector.ProjectAllAsync", records, async report =>
            await projector.ProjectAllAsync(new InlineProgress(p => report(p.Done))));
        Console.WriteLine($"RESULT project provider={o.Provider.ToString().ToLowerInvariant()} records={n} seconds={sw.Elapsed.TotalSeconds:F1} rows_per_s={n / sw.Elapsed.TotalSeconds:F0}");
        return 0;
    }

    private sealed class InlineProgress(Action<(long Done, long Total)> report) : IProgress<(long Done, long Total)>
    {
        public void Report((long Done, long Total) value) => report(value);
    }
}
