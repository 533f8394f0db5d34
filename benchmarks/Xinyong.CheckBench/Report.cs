using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.CheckBench;

/// <summary>The Markdown result: the database, the by-code batch both ways by phase, and the by-name accuracy per variant.</summary>
internal sealed class Report(CheckBenchOptions o)
{
    private readonly StringBuilder _batch = new();
    private Timing? _b;
    private Timing? _n;
    private CodeCase? _case;
    private bool _batchOk;
    private bool _naiveOk;
    private string? _names;

    public long Subjects { get; private set; }
    public long Records { get; private set; }
    public double? XlsxSeconds { get; set; }

    public async Task DescribeDatabaseAsync(XinyongDatabase db)
    {
        await using var conn = await db.OpenAsync();
        Subjects = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subjects");
        Records = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM records");
    }

    public void Batch(Timing t, CodeCase c, bool ok) => (_b, _case, _batchOk) = (t, c, ok);

    public void Naive(Timing t, bool ok) => (_n, _naiveOk) = (t, ok);

    private List<(Timing Batch, Timing? Naive)> _pairs = [];

    /// <summary>
    /// All runs in turns. The table shows the pair with the median ratio (the median batch time without the naive way) among
    /// the runs after the first: the first full-size batch of a process still runs code the JIT has not optimised yet (a
    /// CLI run pays that, a web host that has run a batch before does not), so it is listed apart.
    /// </summary>
    public void Pairs(List<(Timing Batch, Timing? Naive)> pairs)
    {
        _pairs = pairs;
        var warm = pairs.Count > 1 ? pairs.Skip(1).ToList() : pairs;
        var median = warm.OrderBy(p => p.Naive is { } n ? n.Total / p.Batch.Total : -p.Batch.Total).ElementAt((warm.Count - 1) / 2);
        _b = median.Batch;
        _n = median.Naive;
    }

    public void Names(Timing t, IReadOnlyList<NameRow> rows, List<NameStats> table, double indexLoad)
    {
        var s = new StringBuilder();
        s.AppendLine(Inv($"#### By name only: {rows.Count:N0} enterprises"));
        s.AppendLine();
        s.AppendLine("| variant of the real name | rows | correct | wrong subject | ambiguous | not found | of which the right subject was nearest, below the accept score | real name also held by another subject |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in table)
        {
            var name = r.Variant == "total" ? "**total**" : r.Variant;
            s.AppendLine(Inv($"| {name} | {r.Rows:N0} | {r.Correct:N0} ({Pct(r.Correct, r.Rows)}) | {r.Wrong:N0} | {r.Ambiguous:N0} | {r.NotFound:N0} | {r.NearestRight:N0} | {r.Shared:N0} |"));
        }
        s.AppendLine();
        s.AppendLine(Inv($"Name index load (once per process, {Subjects:N0} subjects' names): {indexLoad:F1} s. Batch by name end to end {t.Total:F2} s ") +
                         Inv($"({rows.Count / t.Total:N0} rows/s), of which matching {t.Match:F2} s ({rows.Count / Math.Max(t.Match, 1e-9):N0} names/s). ") +
                         "Wrong, ambiguous and not-found rows are reported as such in the result file, never passed.");
        _names = s.ToString();
    }

    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(Inv($"### {(o.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{Commit()}"));
        s.AppendLine();
        s.AppendLine(Inv($"Database: {Subjects:N0} subjects, {Records:N0} records. Check date {o.CheckDate:yyyy-MM-dd}, purpose employment-subsidy. ") +
                         Inv($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at the end (wall-clock seconds stretch with the load; CPU seconds of this process do not, but leave out the PostgreSQL server's)."));
        s.AppendLine();
        if (_b is { } b && _case is { } c)
        {
            s.AppendLine(Inv($"#### By credit code: {c.Codes.Count:N0} enterprises, {c.Failing.Count} must fail"));
            s.AppendLine();
            s.AppendLine("| phase | batch path (s) | batch, CPU of this process (s) | naive, per subject (s) |");
            s.AppendLine("|---|---:|---:|---:|");
            var n = _n;
            Row(s, "read the uploaded file (CheckInputFile)", b.Parse, b.Cpu["parse"], n?.Parse);
            Row(s, "create the run (purpose, run row, audit)", b.Create, b.Cpu["create"], null);
            Row(s, "data version, start", b.Start, b.Cpu["start"], null);
            Row(s, "match subjects (SubjectMatcher)", b.Match, b.Cpu["match"], n?.Match);
            Row(s, "load facts: lists, records, objections (CheckFacts)", b.Facts, b.Cpu["facts"], n?.Facts);
            Row(s, "evaluate rules (CheckEvaluator)", b.Evaluate, b.Cpu["evaluate"], n?.Evaluate);
            Row(s, "store every row (check_results) and, beside it, write the result file (CSV)", b.Store, b.Cpu["store"], null);
            Row(s, "write the result file (CSV)", b.Write, b.Write is null ? null : b.Cpu["write"], n?.Write);
            s.AppendLine(Inv($"| **end to end** | **{b.Total:F2}** | {b.Cpu["total"]:F2} | {(n is null ? "not run" : Inv($"**{n.Total:F2}**"))} |"));
            s.AppendLine(Inv($"| rows per second | {c.Codes.Count / b.Total:N0} | | {(n is null ? "" : Inv($"{c.Codes.Count / n.Total:N0}"))} |"));
            s.AppendLine();
            if (_pairs.Count > 1)
            {
                static string Pair((Timing Batch, Timing? Naive) p) =>
                    p.Naive is { } pn ? Inv($"{p.Batch.Total:F2} / {pn.Total:F2} = {pn.Total / p.Batch.Total:F1}×") : Inv($"{p.Batch.Total:F2}");
                s.AppendLine($"Runs in turns (batch s / naive s = ratio): first in the process {Pair(_pairs[0])}; then " +
                             string.Join("; ", _pairs.Skip(1).Select(Pair)) + ". The table shows the median of the runs after the first.");
            }
            s.AppendLine(Inv($"Garbage collector: the batch path paused {b.Gc.Paused:F2} s ({b.Gc.Gen0} collections, {b.Gc.Gen1} of gen1 or 2, {b.Gc.Gen2} of gen2)") +
                         (n is null ? "." : Inv($"; the naive way {n.Gc.Paused:F2} s ({n.Gc.Gen0}, {n.Gc.Gen1}, {n.Gc.Gen2}).")));
            if (XlsxSeconds is { } x) s.AppendLine(Inv($"Writing the same result as .xlsx instead of CSV: {x:F2} s."));
            var ratio = n is null ? null : (double?)(n.Total / b.Total);
            s.AppendLine(Inv($"Target: under 10 s end to end — {(b.Total < 10 ? "met" : "NOT met")} ({b.Total:F2} s)") +
                         (ratio is { } r ? Inv($"; at least 10 times faster than the naive way — {(r >= 10 ? "met" : "NOT met")} ({r:F1}×).") : "."));
            s.AppendLine(Inv($"Verified: {(_batchOk ? "yes" : "NO")} — exactly {c.Failing.Count} fail ({c.Listed} black-listed by the benchmark through ListStore, ") +
                             Inv($"{c.Failing.Count - c.Listed} with one serious penalty in the last 12 months in the seeded data), each with its one reason (rule and evidence id); ") +
                             Inv($"the other {c.Codes.Count - c.Failing.Count:N0} pass, all matched by code.") +
                         (n is null ? "" : Inv($" Naive way row by row the same answers: {(_naiveOk ? "yes" : "NO")}.")));
            s.AppendLine();
        }
        if (_names is not null) s.Append(_names);
        return s.ToString();
    }

    private static void Row(StringBuilder s, string phase, double? batch, double? cpu, double? naive) =>
        s.AppendLine(Inv($"| {phase} | {(batch is { } b ? Inv($"{b:F2}") : "–")} | {(cpu is { } c ? Inv($"{c:F2}") : "–")} | {(naive is { } n ? Inv($"{n:F2}") : "–")} |"));

    private static string Pct(int part, int whole) => whole == 0 ? "–" : Inv($"{100.0 * part / whole:F1} %");

    private static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Commit()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (p is null) return "";
            var sha = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && sha.Length > 0 ? ", commit " + sha : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
