using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Auditing;
using Xinyong.Core.Checks;
using Xinyong.Data.Checks;

namespace Xinyong.CheckBench;

/// <summary>Seconds per phase of one way of checking a batch; null where the way has no such phase.</summary>
internal sealed record Timing
{
    public double Parse { get; init; }
    public double? Create { get; init; }
    public double? Start { get; init; }
    public double Match { get; init; }
    public double Facts { get; init; }
    public double Evaluate { get; init; }
    public double? Store { get; init; }
    /// <summary>Null for the batch path, which writes its result file while storing (in <see cref="Store"/>).</summary>
    public double? Write { get; init; }
    public double Total { get; init; }
    public long? RunId { get; init; }
    public required IReadOnlyList<CheckRowResult> Results { get; init; }
    /// <summary>CPU seconds of this process per phase (same keys as the wall-clock phases; the PostgreSQL server's CPU is not in it).</summary>
    public IReadOnlyDictionary<string, double> Cpu { get; init; } = new Dictionary<string, double>();
    /// <summary>Garbage collections while this way ran: seconds paused and collections per generation.</summary>
    public GcTally Gc { get; init; } = new(0, 0, 0, 0);
}

/// <summary>Seconds the garbage collector paused the process and its collections by generation (gen1 counts include gen2).</summary>
internal sealed record GcTally(double Paused, int Gen0, int Gen1, int Gen2)
{
    public static GcTally Now() => new(GC.GetTotalPauseDuration().TotalSeconds, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public GcTally Since(GcTally start) => new(Paused - start.Paused, Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2);
}

/// <summary>
/// The real batch path, as `xinyong check` runs it and the web job (CheckQueue) does the same between upload and download:
/// read the uploaded file (CheckInputFile), create the run (CheckRunner.CreateBatchAsync: purpose, run row, audit), run it
/// (CheckRunner.RunToFileAsync: data version, match, facts, evaluate, then store every row while writing the result file).
/// The phases inside RunAsync are timed from its progress reports.
/// </summary>
internal static class BatchPath
{
    public const string Purpose = "employment-subsidy";
    public static readonly Actor Actor = new(ActorKind.Cli, "checkbench", null);

    public static async Task<Timing> RunAsync(IServiceProvider services, string input, string output, string reference, DateOnly checkDate, CancellationToken ct)
    {
        var runner = services.GetRequiredService<CheckRunner>();
        var gc = GcTally.Now();
        var watch = Stopwatch.StartNew();
        var cpu0 = Cpu();
        var (rows, sha) = CheckInputFile.ReadFile(input, Path.GetFileName(input));
        var (parsed, cpuParsed) = (watch.Elapsed.TotalSeconds, Cpu());
        var run = await runner.CreateBatchAsync(Purpose, reference, Path.GetFileName(input), sha, null, rows.Count, CheckMatchOptions.Default, Actor, checkDate, ct);
        var (created, cpuCreated) = (watch.Elapsed.TotalSeconds, Cpu());
        var phases = new PhaseClock(watch);
        // As the CLI: the result file is written while the rows are stored, so the two are one phase here.
        var results = await runner.RunToFileAsync(run.Id, rows, output, phases, ct);
        var (written, cpuWritten) = (watch.Elapsed.TotalSeconds, Cpu());
        double At(string phase, bool first) => phases.At(phase, first) ?? throw new InvalidOperationException($"CheckRunner reported no '{phase}' progress.");
        double CpuAt(string phase, bool first) => phases.CpuAt(phase, first) ?? 0;
        var cpu = new Dictionary<string, double>
        {
            ["parse"] = cpuParsed - cpu0,
            ["create"] = cpuCreated - cpuParsed,
            ["start"] = CpuAt("match", true) - cpuCreated,
            ["match"] = CpuAt("match", false) - CpuAt("match", true),
            ["facts"] = CpuAt("evaluate", true) - CpuAt("match", false),
            ["evaluate"] = CpuAt("evaluate", false) - CpuAt("evaluate", true),
            ["store"] = cpuWritten - CpuAt("evaluate", false),
            ["total"] = cpuWritten - cpu0,
        };
        return new Timing
        {
            Parse = parsed,
            Create = created - parsed,
            Start = At("match", true) - created,
            Match = At("match", false) - At("match", true),
            Facts = At("evaluate", true) - At("match", false),
            Evaluate = At("evaluate", false) - At("evaluate", true),
            Store = written - At("evaluate", false),
            Total = written,
            RunId = run.Id,
            Results = results,
            Cpu = cpu,
            Gc = GcTally.Now().Since(gc),
        };
    }

    public static double Cpu() => Environment.CpuUsage.TotalTime.TotalSeconds;

    /// <summary>Seconds since the start at the first and the last progress report of each phase (reported synchronously by the runner).</summary>
    private sealed class PhaseClock(Stopwatch watch) : IProgress<CheckProgress>
    {
        private readonly Dictionary<string, (double First, double Last, double CpuFirst, double CpuLast)> _at = [];

        public void Report(CheckProgress value)
        {
            var now = watch.Elapsed.TotalSeconds;
            var cpu = Cpu();
            _at[value.Phase] = _at.TryGetValue(value.Phase, out var t) ? (t.First, now, t.CpuFirst, cpu) : (now, now, cpu, cpu);
        }

        public double? At(string phase, bool first) => _at.TryGetValue(phase, out var t) ? first ? t.First : t.Last : null;

        public double? CpuAt(string phase, bool first) => _at.TryGetValue(phase, out var t) ? first ? t.CpuFirst : t.CpuLast : null;
    }
}
