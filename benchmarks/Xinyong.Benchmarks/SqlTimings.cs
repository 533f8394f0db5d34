using System.Collections.Concurrent;
using System.Diagnostics;

namespace Xinyong.Benchmarks;

/// <summary>
/// Where PostgreSQL time goes, seen from the client: listens to Npgsql's ActivitySource and adds up the wall time of
/// each kind of statement (the first words of its SQL). Diagnostic only (--trace-sql); it slows the run a little.
/// </summary>
public sealed class SqlTimings : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, (long Count, double Seconds)> _byStatement = new(StringComparer.Ordinal);

    public SqlTimings()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Npgsql", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private void Stopped(Activity a)
    {
        var sql = a.GetTagItem("db.query.text") as string ?? a.GetTagItem("db.statement") as string ?? a.DisplayName;
        var key = Shorten(sql);
        _byStatement.AddOrUpdate(key, (1, a.Duration.TotalSeconds), (_, v) => (v.Count + 1, v.Seconds + a.Duration.TotalSeconds));
    }

    private static string Shorten(string sql)
    {
        var s = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return s.Length > 70 ? s[..70] : s;
    }

    public void Print(double totalSeconds)
    {
        Console.WriteLine($"  SQL time by statement (client wall time; total ingest {totalSeconds:F1} s):");
        foreach (var (sql, (count, seconds)) in _byStatement.OrderByDescending(kv => kv.Value.Seconds).Take(12))
        {
            Console.WriteLine($"    {seconds,8:F2} s {seconds / totalSeconds * 100,5:F1}% {count,7} x  {sql}");
        }
    }

    public void Dispose() => _listener.Dispose();
}
