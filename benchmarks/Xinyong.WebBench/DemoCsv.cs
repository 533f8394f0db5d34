using System.Globalization;
using Xinyong.Core.Demo;

namespace Xinyong.WebBench;

/// <summary>
/// The rows come from the platform's own demo generator (names, codes, authorities, penalty and licence wording),
/// written once as CSV and reused by later seeds with the same parameters.
/// </summary>
internal static class DemoCsv
{
    /// <summary>The generator writes 35 % penalties; ask for enough rows that both wanted counts are available.</summary>
    public static int GeneratorRows(SeedOptions o)
    {
        var byPenalties = (long)Math.Ceiling(o.Penalties / 0.35);
        var byLicences = (long)Math.Ceiling(o.Licences / 0.65);
        return checked((int)(Math.Max(byPenalties, byLicences) + 2));
    }

    public static async Task<(string Penalties, string Licences, bool Reused)> EnsureAsync(SeedOptions o, DateOnly until, Action<long, long> progress)
    {
        var rows = GeneratorRows(o);
        var dir = Path.Combine(o.WorkDir, string.Create(CultureInfo.InvariantCulture, $"s{o.Subjects}-r{rows}-seed{o.Seed}-until{until:yyyyMMdd}"));
        var manifest = Path.Combine(dir, "complete");
        var penalties = Path.Combine(dir, DemoDataGenerator.PenaltiesFileName);
        var licences = Path.Combine(dir, DemoDataGenerator.LicencesFileName);
        if (File.Exists(manifest)) return (penalties, licences, true);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        await Task.Run(() => DemoDataGenerator.Generate(new DemoOptions(o.Subjects, rows, o.Seed, until), dir, new SyncProgress(n => progress(n, rows))));
        await File.WriteAllTextAsync(manifest, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return (penalties, licences, false);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the generator reports from two writer threads, so report inline.</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
