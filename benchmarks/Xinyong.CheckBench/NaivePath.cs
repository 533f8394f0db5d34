using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Checks;
using Xinyong.Data.Checks;

namespace Xinyong.CheckBench;

/// <summary>
/// The naive way, as a department system calling a single-subject check per row would do it: the same matcher, facts
/// loader and rules, but one MatchAsync and one LoadAsync (each a round of queries) per subject. No run row and no stored
/// results, so the comparison favours the naive way.
/// </summary>
internal static class NaivePath
{
    public static async Task<Timing> RunAsync(IServiceProvider services, string input, string output, CheckPurpose purpose, DateOnly checkDate, CancellationToken ct)
    {
        var matcher = services.GetRequiredService<SubjectMatcher>();
        var facts = services.GetRequiredService<CheckFacts>();
        var evaluator = services.GetRequiredService<CheckEvaluator>();
        var options = CheckMatchOptions.Default;
        var gc = GcTally.Now();
        var watch = Stopwatch.StartNew();
        var (rows, _) = CheckInputFile.ReadFile(input, Path.GetFileName(input));
        var parsed = watch.Elapsed.TotalSeconds;
        var results = new CheckRowResult[rows.Count];
        long matchTicks = 0, factTicks = 0, evalTicks = 0;
        var lastLine = Stopwatch.StartNew();
        for (var i = 0; i < rows.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var row = rows[i];
            var t0 = Stopwatch.GetTimestamp();
            var m = (await matcher.MatchAsync([row], options, ct))[0];
            var t1 = Stopwatch.GetTimestamp();
            matchTicks += t1 - t0;
            CheckOutcome outcome;
            IReadOnlyList<CheckReason> reasons;
            if (m.SubjectId is not { } subject)
            {
                outcome = m.Unresolved ?? CheckOutcome.NotFound;
                reasons = [];
            }
            else
            {
                var loaded = await facts.LoadAsync([subject], purpose, checkDate, null, ct);
                var t2 = Stopwatch.GetTimestamp();
                factTicks += t2 - t1;
                var verdict = evaluator.Evaluate(purpose, checkDate, loaded.EntriesOf(subject), loaded.RecordsOf(subject));
                if (m.Flag is { } flag) verdict = CheckVerdict.From([flag, .. verdict.Reasons]);
                evalTicks += Stopwatch.GetTimestamp() - t2;
                outcome = verdict.Outcome;
                reasons = verdict.Reasons;
            }
            results[i] = new CheckRowResult(row.Row, row.Code, row.Name, m.SubjectId, m.SubjectName, m.Uscc, m.Method, m.Scheme, m.Score, m.NoteZh, outcome, reasons);
            if (lastLine.Elapsed.TotalSeconds >= 10)
            {
                lastLine.Restart();
                var s = watch.Elapsed.TotalSeconds;
                Program.Say(string.Create(CultureInfo.InvariantCulture, $"  naive: {i + 1:N0} / {rows.Count:N0} rows, {(i + 1) / s:N0}/s, {s:F0} s"));
            }
        }
        var checkedAt = watch.Elapsed.TotalSeconds;
        await CheckResultFile.WriteAsync(results, output, ct);
        var written = watch.Elapsed.TotalSeconds;
        return new Timing
        {
            Parse = parsed,
            Match = Stopwatch.GetElapsedTime(0, matchTicks).TotalSeconds,
            Facts = Stopwatch.GetElapsedTime(0, factTicks).TotalSeconds,
            Evaluate = Stopwatch.GetElapsedTime(0, evalTicks).TotalSeconds,
            Write = written - checkedAt,
            Total = written,
            Results = results,
            Gc = GcTally.Now().Since(gc),
        };
    }
}
