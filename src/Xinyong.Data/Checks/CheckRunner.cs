using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Checks;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Checks;

/// <summary>Where a run is: phase (match / load / evaluate / store) and rows done of the phase.</summary>
public sealed record CheckProgress(string Phase, int Done, int Total);

/// <summary>What the data looked like when a run read it: re-running against the same watermarks gives the same answer.</summary>
public sealed record DataVersion(long MaxRecordId, long MaxSubmissionId, DateTime? LastIngestAt, long MaxListEventId, long MaxListEntryId)
{
    public string ToJson() => JsonSerializer.Serialize(this, CheckRuns.Json);

    public static DataVersion? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<DataVersion>(json, CheckRuns.Json);
}

/// <summary>A re-run compared with the run it repeats.</summary>
public sealed record RerunComparison(CheckRun Original, CheckRun Rerun, bool SameDataVersion, int ChangedRows, IReadOnlyList<int> ChangedRowNumbers);

/// <summary>
/// Runs credit checks: one subject or a whole batch the same way, set-based. Resolves every input row
/// (<see cref="SubjectMatcher"/>), loads the facts of all matched subjects in a few queries (<see cref="CheckFacts"/>),
/// evaluates in memory (<see cref="CheckEvaluator"/>), stores the run with its rule and data versions and every row's
/// reasons, and audits who checked what for which matter.
/// </summary>
public sealed class CheckRunner(
    XinyongDatabase db, CheckPurposeStore purposes, CheckRuns runs, SubjectMatcher matcher, CheckFacts facts, CheckEvaluator evaluator, AuditLog audit,
    TimeProvider clock)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);

    /// <summary>Creates a queued batch run (the upload is stored by the caller at <paramref name="inputPath"/>); audited.</summary>
    public async Task<CheckRun> CreateBatchAsync(string purposeId, string? reference, string inputName, string inputSha256, string? inputPath, int rows,
        CheckMatchOptions options, Actor actor, DateOnly? checkDate = null, CancellationToken ct = default)
    {
        var purpose = (await purposes.CurrentAsync(purposeId, ct))?.Purpose ?? throw UnknownPurpose(purposeId);
        var date = checkDate ?? Today;
        var id = await runs.CreateAsync(purpose, date, "batch", reference, inputName, inputSha256, inputPath, rows, options, actor, null, ct: ct);
        await audit.WriteAsync(actor, "check.batch", "check_run", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { purpose = purpose.RuleVersion, reference, inputName, inputSha256, rows, checkDate = date }, ct: ct);
        return (await runs.GetAsync(id, ct))!;
    }

    /// <summary>Checks one subject given by code and/or name, stores and audits the run, and returns it with its one row.</summary>
    public async Task<(CheckRun Run, CheckRowResult Result)> CheckOneAsync(string purposeId, string? code, string? name, string? reference, Actor actor,
        CheckMatchOptions? options = null, DateOnly? checkDate = null, CancellationToken ct = default)
    {
        options ??= CheckMatchOptions.Default;
        var purpose = (await purposes.CurrentAsync(purposeId, ct))?.Purpose ?? throw UnknownPurpose(purposeId);
        var date = checkDate ?? Today;
        var id = await runs.CreateAsync(purpose, date, "single", reference, null, null, null, 1, options, actor, null, ct: ct);
        await audit.WriteAsync(actor, "check.single", "check_run", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { purpose = purpose.RuleVersion, reference, code, name, checkDate = date }, ct: ct);
        var results = await ExecuteAsync(id, purpose, date, [new CheckInputRow(1, Trim(code), Trim(name))], options, null, ct);
        return ((await runs.GetAsync(id, ct))!, results[0]);
    }

    /// <summary>Runs a queued or interrupted run over <paramref name="rows"/>; progress goes to the run row and to <paramref name="progress"/>.</summary>
    public Task<IReadOnlyList<CheckRowResult>> RunAsync(long runId, IReadOnlyList<CheckInputRow> rows, IProgress<CheckProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(runId, rows, progress, null, ct);

    /// <summary>
    /// Runs a batch like <see cref="RunAsync(long, IReadOnlyList{CheckInputRow}, IProgress{CheckProgress}?, CancellationToken)"/> and writes
    /// the result file (<see cref="CheckResultFile"/>, by extension) while the rows are being stored, so the file does not wait
    /// for the database. When the run fails the file is removed: a result file exists only for a run that is stored.
    /// </summary>
    public async Task<IReadOnlyList<CheckRowResult>> RunToFileAsync(long runId, IReadOnlyList<CheckInputRow> rows, string outputPath,
        IProgress<CheckProgress>? progress = null, CancellationToken ct = default)
    {
        try
        {
            return await RunAsync(runId, rows, progress, (results, token) => CheckResultFile.WriteAsync(results, outputPath, token), ct);
        }
        catch
        {
            if (File.Exists(outputPath)) File.Delete(outputPath);
            throw;
        }
    }

    private async Task<IReadOnlyList<CheckRowResult>> RunAsync(long runId, IReadOnlyList<CheckInputRow> rows, IProgress<CheckProgress>? progress,
        Func<IReadOnlyList<CheckRowResult>, CancellationToken, Task>? whileStoring, CancellationToken ct)
    {
        var run = await runs.GetAsync(runId, ct) ?? throw new InvalidOperationException($"Check run {runId} does not exist.");
        var purpose = (await purposes.GetAsync(run.PurposeId, run.PurposeVersion, ct))?.Purpose ?? throw UnknownPurpose(run.PurposeId);
        var options = run.Options is null ? CheckMatchOptions.Default : JsonSerializer.Deserialize<CheckMatchOptions>(run.Options, CheckRuns.Json) ?? CheckMatchOptions.Default;
        try
        {
            return await ExecuteAsync(runId, purpose, run.CheckDate, rows, options, progress, ct, whileStoring);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await runs.FailAsync(runId, "核查未能完成：" + ex.Message, "the check did not complete: " + ex.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Runs the inputs of an earlier run again under the same purpose version and check date, as a new run, and compares
    /// the answers row by row. With the same data version the answers are the same; otherwise the changed rows are named.
    /// </summary>
    public async Task<RerunComparison> RerunAsync(long runId, Actor actor, CancellationToken ct = default)
    {
        var original = await runs.GetAsync(runId, ct) ?? throw new InvalidOperationException($"Check run {runId} does not exist.");
        if (original.Status != CheckRunStatus.Done) throw new InvalidOperationException($"Check run {runId} has not completed.");
        var purpose = (await purposes.GetAsync(original.PurposeId, original.PurposeVersion, ct))?.Purpose ?? throw UnknownPurpose(original.PurposeId);
        var options = original.Options is null ? CheckMatchOptions.Default : JsonSerializer.Deserialize<CheckMatchOptions>(original.Options, CheckRuns.Json) ?? CheckMatchOptions.Default;
        var before = await runs.ResultsAsync(runId, ct: ct);
        var id = await runs.CreateAsync(purpose, original.CheckDate, original.Mode, original.Reference, original.InputName, original.InputSha256, null,
            before.Count, options, actor, runId, ct: ct);
        await audit.WriteAsync(actor, "check.rerun", "check_run", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { of = runId, purpose = purpose.RuleVersion, checkDate = original.CheckDate }, ct: ct);
        var after = await ExecuteAsync(id, purpose, original.CheckDate, before.Select(r => new CheckInputRow(r.Row, r.InputCode, r.InputName)).ToList(), options, null, ct);
        var changed = before.Zip(after).Where(p => !Same(p.First, p.Second)).Select(p => p.First.Row).ToList();
        var rerun = (await runs.GetAsync(id, ct))!;
        return new RerunComparison(original, rerun, original.DataVersion == rerun.DataVersion, changed.Count, changed);
    }

    private static bool Same(CheckRowResult a, CheckRowResult b) =>
        a.SubjectId == b.SubjectId && a.Outcome == b.Outcome && a.Reasons.Select(r => (r.RuleId, r.EvidenceId)).SequenceEqual(b.Reasons.Select(r => (r.RuleId, r.EvidenceId)));

    private async Task<IReadOnlyList<CheckRowResult>> ExecuteAsync(long runId, CheckPurpose purpose, DateOnly checkDate, IReadOnlyList<CheckInputRow> rows,
        CheckMatchOptions options, IProgress<CheckProgress>? progress, CancellationToken ct,
        Func<IReadOnlyList<CheckRowResult>, CancellationToken, Task>? whileStoring = null)
    {
        var watch = Stopwatch.StartNew();
        options.Validate();
        var version = await DataVersionAsync(ct);
        await runs.StartAsync(runId, rows.Count, version.ToJson(), ct);
        progress?.Report(new CheckProgress("match", 0, rows.Count));

        var matches = await matcher.MatchAsync(rows, options, ct);
        var subjectIds = matches.Where(m => m.SubjectId is not null).Select(m => m.SubjectId!.Value).Distinct().ToList();
        progress?.Report(new CheckProgress("match", rows.Count, rows.Count));
        await runs.ProgressAsync(runId, "load", 0, ct);

        var lastReport = Stopwatch.StartNew();
        var loaded = await facts.LoadAsync(subjectIds, purpose, checkDate, done =>
        {
            progress?.Report(new CheckProgress("load", done, subjectIds.Count));
            if (lastReport.ElapsedMilliseconds < 1000) return;
            lastReport.Restart();
            // Best effort: the run row shows progress to other processes (staff UI); the job itself does not wait for it.
            _ = runs.ProgressAsync(runId, "load", (int)((long)rows.Count * done / Math.Max(1, subjectIds.Count)), CancellationToken.None);
        }, ct);

        progress?.Report(new CheckProgress("evaluate", 0, rows.Count));
        var results = new CheckRowResult[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var m = matches[i];
            CheckOutcome outcome;
            IReadOnlyList<CheckReason> reasons;
            if (m.SubjectId is not { } subject)
            {
                outcome = m.Unresolved ?? CheckOutcome.NotFound;
                reasons = [];
            }
            else
            {
                var verdict = evaluator.Evaluate(purpose, checkDate, loaded.EntriesOf(subject), loaded.RecordsOf(subject));
                if (m.Flag is { } flag)
                {
                    verdict = CheckVerdict.From([flag, .. verdict.Reasons]);
                }
                outcome = verdict.Outcome;
                reasons = verdict.Reasons;
            }
            results[i] = new CheckRowResult(row.Row, row.Code, row.Name, m.SubjectId, m.SubjectName, m.Uscc, m.Method, m.Scheme, m.Score,
                m.NoteZh, outcome, reasons);
        }
        progress?.Report(new CheckProgress("evaluate", rows.Count, rows.Count));
        await runs.ProgressAsync(runId, "store", rows.Count, ct);
        // Started first: on SQLite the store runs synchronously inside CompleteAsync.
        var beside = whileStoring is null ? Task.CompletedTask : Task.Run(() => whileStoring(results, ct), ct);
        try
        {
            await runs.CompleteAsync(runId, results, watch.ElapsedMilliseconds, ct);
        }
        catch
        {
            // The store's error is the one reported; the work beside it is let finish (and its own error observed) first.
            _ = (await Task.WhenAny(beside)).Exception;
            throw;
        }
        await beside;
        progress?.Report(new CheckProgress("store", rows.Count, rows.Count));
        return results;
    }

    /// <summary>Watermarks read from primary keys and the small submissions table: cheap at any database size.</summary>
    public async Task<DataVersion> DataVersionAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var r = await conn.QuerySingleAsync<Watermarks>(
            """
            SELECT (SELECT MAX(id) FROM records) AS records, (SELECT MAX(id) FROM submissions) AS submissions,
                   (SELECT MAX(completed_at) FROM submissions) AS last_ingest,
                   (SELECT MAX(id) FROM list_entry_events) AS events, (SELECT MAX(id) FROM list_entries) AS entries
            """);
        return new DataVersion(r.Records ?? 0, r.Submissions ?? 0, r.LastIngest, r.Events ?? 0, r.Entries ?? 0);
    }

    private sealed record Watermarks
    {
        public long? Records { get; init; }
        public long? Submissions { get; init; }
        public DateTime? LastIngest { get; init; }
        public long? Events { get; init; }
        public long? Entries { get; init; }
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static CheckPurposeException UnknownPurpose(string id) => new($"未知的核查用途：{id}", $"unknown check purpose: {id}");
}
