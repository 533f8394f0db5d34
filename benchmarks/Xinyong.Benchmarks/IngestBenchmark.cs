using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Dapper;
using Npgsql;
using Xinyong.Core.Demo;

namespace Xinyong.Benchmarks;

/// <summary>
/// Orchestrates the ingest benchmark: generates the demo data once per size, then for each provider runs the full
/// ingest and the raw load, each in a child process of its own (this program, re-invoked with --phase), and prints
/// the results as a Markdown table.
/// </summary>
public static class IngestBenchmark
{
    private const double Mb = 1024 * 1024;

    public static async Task<int> RunAsync(IngestOptions o)
    {
#if DEBUG
        Console.WriteLine("WARNING: this is a Debug build; run with -c Release for meaningful figures.");
#endif
        var results = new List<PhaseResult>();
        var root = Path.Combine(o.WorkDir, $"xinyong-bench-data-{Guid.NewGuid():N}");
        try
        {
            await PrintMachineAsync(o);
            foreach (var rows in o.Rows)
            {
                var subjects = o.Subjects ?? Math.Max(1, rows / 10);
                var dir = Path.Combine(root, rows.ToString(CultureInfo.InvariantCulture));
                var sw = Stopwatch.StartNew();
                // Decisions end yesterday (China time), as the demo loader does, so no row is dated in the future.
                var until = DateOnly.FromDateTime(DateTime.UtcNow + TimeSpan.FromHours(8)).AddDays(-1);
                var data = DemoDataGenerator.Generate(new DemoOptions(subjects, rows, o.Seed, until), dir);
                var bytes = data.Files.Sum(f => new FileInfo(f).Length);
                Console.WriteLine(
                    $"== {rows:N0} rows: generated {data.Penalties:N0} penalties + {data.Licences:N0} licences about {subjects:N0} subjects " +
                    $"({bytes / Mb:F0} MB of CSV) in {sw.Elapsed.TotalSeconds:F1} s (not timed) in {dir}");
                if (o.Profile)
                {
                    foreach (var phase in new[] { "parse", "validate" })
                    {
                        results.Add(await RunChildAsync(o, phase, "none", dir, data));
                    }
                }
                foreach (var provider in o.Providers)
                {
                    for (var round = 1; round <= o.Rounds; round++)
                    {
                        foreach (var phase in o.Phases)
                        {
                            results.Add((await RunChildAsync(o, phase, provider, dir, data)) with { Round = round });
                        }
                    }
                    Console.WriteLine(Row(results, provider, rows));
                }
                if (!o.Keep) Directory.Delete(dir, recursive: true);
            }
        }
        catch (BenchmarkFailure ex)
        {
            Console.Error.WriteLine("Benchmark stopped: " + ex.Message);
            return 1;
        }
        finally
        {
            if (!o.Keep && Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }

        var table = Table(results, o);
        Console.WriteLine();
        Console.WriteLine(table);
        if (o.Out is { } outFile)
        {
            await File.WriteAllTextAsync(outFile, table, new UTF8Encoding(false));
            Console.WriteLine($"Table written to {outFile}");
        }
        return 0;
    }

    /// <summary>
    /// Runs one phase in a fresh process (this program with --phase), so that the kernel's peak resident memory
    /// (VmHWM) is that phase's alone and no heap, pool or cache of an earlier phase is left in it.
    /// </summary>
    private static async Task<PhaseResult> RunChildAsync(IngestOptions o, string phase, string provider, string dir, DemoSummary data)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new BenchmarkFailure("cannot find this program's executable");
        psi.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(typeof(IngestBenchmark).Assembly.Location);
        }
        foreach (var a in o.ChildArguments(phase, provider, dir, data.Penalties, data.Licences)) psi.ArgumentList.Add(a);

        using var child = Process.Start(psi) ?? throw new BenchmarkFailure("cannot start the child process");
        PhaseResult? result = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (PhaseResult.FromLine(line) is { } r) result = r;
            else Console.WriteLine(line);
        }
        await child.WaitForExitAsync();
        if (child.ExitCode != 0 || result is null)
            throw new BenchmarkFailure($"phase {phase} on {provider} failed (exit code {child.ExitCode})");
        Console.WriteLine(
            $"  {provider,-8} {phase,-11} {result.Rows,9:N0} rows {result.Seconds,8:F2} s {result.RowsPerSecond,9:N0} rows/s, cpu {result.CpuSeconds:F1} s{(result.ServerCpuSeconds > 0 ? $" + server {result.ServerCpuSeconds:F1} s" : "")}, " +
            $"peak {result.SampledPeakBytes / Mb:F0} MB sampled, {result.ProcessPeakBytes / Mb:F0} MB process, managed {result.ManagedPeakBytes / Mb:F0} MB" +
            (result.DatabaseBytes > 0 ? $", database {result.DatabaseBytes / Mb:F0} MB" : ""));
        return result;
    }

    /// <summary>
    /// One size of one provider: the median of each phase's times over the rounds, and the full ingest's speed as a share
    /// of each raw load's, the median of the rounds' ratios (each round's full ingest against the raw load of the same
    /// round) with their range when there is more than one round.
    /// </summary>
    private static string Row(List<PhaseResult> results, string provider, long rows)
    {
        List<PhaseResult> Runs(string phase) => results.Where(r => r.Phase == phase && r.Provider == provider && r.Rows == rows).ToList();
        var full = Runs("full");
        var indexed = Runs("raw-indexed");
        var raw = Runs("raw");
        string S(List<PhaseResult> runs) => runs.Count == 0 ? "–" : Median(runs.Select(r => r.Seconds)).ToString("F2", CultureInfo.InvariantCulture);
        string Rps(List<PhaseResult> runs) => runs.Count == 0 ? "–" : (rows / Median(runs.Select(r => r.Seconds))).ToString("N0", CultureInfo.InvariantCulture);
        string Peak(List<PhaseResult> runs) => runs.Count == 0 ? "–" : $"{runs.Max(r => r.SampledPeakBytes) / Mb:F0} ({runs.Max(r => r.ProcessPeakBytes) / Mb:F0})";
        string Ratio(List<PhaseResult> baseline)
        {
            var ratios = full.Join(baseline, f => f.Round, b => b.Round, (f, b) => b.Seconds / f.Seconds).ToList();
            if (ratios.Count == 0) return "–";
            var median = Median(ratios).ToString("F2", CultureInfo.InvariantCulture);
            return ratios.Count == 1 ? median : $"{median} ({ratios.Min().ToString("F2", CultureInfo.InvariantCulture)}–{ratios.Max().ToString("F2", CultureInfo.InvariantCulture)})";
        }
        return $"| {provider} | {rows:N0} | {S(full)} | {Rps(full)} | {S(indexed)} | {Rps(indexed)} | **{Ratio(indexed)}** | {S(raw)} | {Rps(raw)} | {Ratio(raw)} | {Peak(full)} | {Peak(indexed)} | {Peak(raw)} |";
    }

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values.", nameof(values));
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Table(List<PhaseResult> results, IngestOptions o)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| provider | rows | full s | full rows/s | raw indexed s | raw indexed rows/s | full ÷ raw indexed | raw s | raw rows/s | full ÷ raw | peak MB full | peak MB raw indexed | peak MB raw |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var provider in o.Providers)
        {
            foreach (var rows in o.Rows)
            {
                if (results.Any(r => r.Provider == provider && r.Rows == rows)) sb.AppendLine(Row(results, provider, rows));
            }
        }
        sb.AppendLine();
        sb.AppendLine(o.Rounds > 1
            ? $"Times are medians of {o.Rounds} rounds, each running the phases in turn; a ratio is the median of the rounds' ratios (full against the raw load of the same round), their range in brackets."
            : "One round.");
        sb.AppendLine("Ratios compare rows/s. Peak MB: maximum working set sampled every 50 ms during the timed part, the largest of the rounds (in brackets: the process's peak resident memory, VmHWM, setup included).");
        if (results.Any(r => r.Phase is "parse" or "validate"))
        {
            sb.AppendLine();
            sb.AppendLine("| stage (no database) | rows | s | rows/s | CPU s | peak MB |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var r in results.Where(r => r.Phase is "parse" or "validate"))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Phase} | {r.Rows:N0} | {r.Seconds:F2} | {r.RowsPerSecond:N0} | {r.CpuSeconds:F1} | {r.SampledPeakBytes / Mb:F0} |");
            }
        }
        sb.AppendLine();
        sb.AppendLine("| provider | phase | round | rows | s | penalties s | licences s | CPU s (benchmark process) | CPU s (PostgreSQL server) | allocated GB | managed peak MB | database MB | batch size | load average |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.Where(r => r.Phase is "full" or "raw" or "raw-indexed"))
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Provider} | {r.Phase}{(r.Note is null ? "" : " (" + r.Note + ")")} | {r.Round} | {r.Rows:N0} | {r.Seconds:F2} | {r.PenaltySeconds:F2} | {r.LicenceSeconds:F2} | {r.CpuSeconds:F1} | {(r.ServerCpuSeconds > 0 ? r.ServerCpuSeconds.ToString("F1", CultureInfo.InvariantCulture) : "–")} | {r.AllocatedBytes / Mb / 1024:F1} | {r.ManagedPeakBytes / Mb:F0} | {r.DatabaseBytes / Mb:F0} | {(r.BatchSize > 0 ? r.BatchSize.ToString(CultureInfo.InvariantCulture) : "–")} | {r.LoadAverage:F1} |");
        }
        return sb.ToString();
    }

    private static async Task PrintMachineAsync(IngestOptions o)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {memory / Mb / 1024:F1} GB memory, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription}, GC server={System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine($"work dir: {o.WorkDir}");
        if (o.Providers.Contains("postgres"))
        {
            try
            {
                await using var conn = new NpgsqlConnection(o.Postgres);
                await conn.OpenAsync();
                Console.WriteLine("postgres: " + await conn.ExecuteScalarAsync<string>("SELECT version()"));
                var settings = await conn.QueryAsync<(string, string)>(
                    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_wal_size') ORDER BY name");
                Console.WriteLine("postgres settings: " + string.Join(", ", settings.Select(s => $"{s.Item1}={s.Item2}")));
            }
            catch (NpgsqlException ex)
            {
                throw new BenchmarkFailure($"cannot reach PostgreSQL at '{o.Postgres}': {ex.Message} (start it with: bash scripts/postgres.sh start)");
            }
        }
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        await sqlite.OpenAsync();
        Console.WriteLine("sqlite: " + await sqlite.ExecuteScalarAsync<string>("SELECT sqlite_version()"));
    }
}
