using System.Collections.Concurrent;
using System.Threading.Channels;
using Xinyong.Core.Checks;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Checks;

namespace Xinyong.Web.Checks;

/// <summary>
/// Runs uploaded batch checks in the background, one at a time, and resumes queued or interrupted runs after a restart
/// (the upload is kept at the run's input_path). Progress is on the run row, so any server process can show it.
/// </summary>
public sealed class CheckQueue(CheckRunner runner, CheckRuns runs, ILogger<CheckQueue> log) : BackgroundService
{
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _waiters = new();

    public void Enqueue(long runId) => _queue.Writer.TryWrite(runId);

    /// <summary>Enqueues and waits for the run to finish (API callers that ask to wait, tests).</summary>
    public Task EnqueueAndWaitAsync(long runId, CancellationToken ct)
    {
        var tcs = _waiters.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(runId);
        return tcs.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var r in await runs.UnfinishedAsync(stoppingToken)) Enqueue(r.Id);
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var run = await runs.GetAsync(id, stoppingToken);
                if (run is null || run.Finished) continue;
                if (run.InputPath is null || !File.Exists(run.InputPath))
                {
                    await runs.FailAsync(id, "上传的文件已不存在，请重新上传", "the uploaded file no longer exists; upload it again", stoppingToken);
                    continue;
                }
                IReadOnlyList<CheckInputRow> rows;
                await using (var s = File.OpenRead(run.InputPath)) rows = CheckInputFile.Read(s, run.InputName);
                await runner.RunAsync(id, rows, ct: stoppingToken);
            }
            catch (SourceFormatException ex)
            {
                await runs.FailAsync(id, ex.MessageZh, ex.MessageEn, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Check run {Id} failed", id);
            }
            finally
            {
                if (_waiters.TryRemove(id, out var tcs)) tcs.TrySetResult();
            }
        }
    }
}
