using Xinyong.Data.Search;
using Xinyong.Data.Publication;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Xinyong.Data.Ingestion;

namespace Xinyong.Web.Ingestion;

/// <summary>
/// Processes uploaded submissions in the background, one at a time, and resumes unfinished ones after a restart.
/// Progress is read from the submission itself (rows done), so the staff UI shows it from any server process.
/// </summary>
public sealed class IngestionQueue(IngestionRunner runner, SubmissionStore submissions, PublicationProjector projector, SubjectSearchIndex searchIndex, ILogger<IngestionQueue> log) : BackgroundService
{
    private readonly Channel<(long Id, string Path)> _queue = Channel.CreateUnbounded<(long, string)>();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<IngestSummary>> _waiters = new();

    public void Enqueue(long submissionId, string path) => _queue.Writer.TryWrite((submissionId, path));

    /// <summary>Enqueues and waits for the result (used by API callers that ask to wait).</summary>
    public Task<IngestSummary> EnqueueAndWaitAsync(long submissionId, string path, CancellationToken ct)
    {
        var tcs = _waiters.GetOrAdd(submissionId, _ => new TaskCompletionSource<IngestSummary>(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(submissionId, path);
        return tcs.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var s in await submissions.ListUnfinishedAsync(stoppingToken))
        {
            if (s.StoredPath is not null && File.Exists(s.StoredPath)) Enqueue(s.Id, s.StoredPath);
        }
        await foreach (var (id, path) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var summary = await runner.RunAsync(id, path, ct: stoppingToken);
                if (summary.Processed)
                {
                    await projector.ProjectSubmissionAsync(id, stoppingToken);
                    if (searchIndex.IsLoaded) await searchIndex.RefreshAsync(stoppingToken);
                }
                if (_waiters.TryRemove(id, out var tcs)) tcs.TrySetResult(summary);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Submission {Id} failed", id);
                if (_waiters.TryRemove(id, out var tcs)) tcs.TrySetException(ex);
            }
        }
    }
}
