using Xinyong.Data.Search;

namespace Xinyong.Web.Public;

/// <summary>
/// Keeps the in-memory name index current: new subjects and names from any process (web uploads, the CLI, other
/// servers) are picked up within a minute. The index itself is loaded on the first search.
/// </summary>
public sealed class SearchIndexRefresher(SubjectSearchIndex index, ILogger<SearchIndexRefresher> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!index.IsLoaded) continue;
            try
            {
                var change = await index.RefreshAsync(stoppingToken);
                if (change.SubjectsChanged > 0) log.LogInformation("Search index: {Count} subjects refreshed in {Ms} ms", change.SubjectsChanged, change.Elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Search index refresh failed");
            }
        }
    }
}
