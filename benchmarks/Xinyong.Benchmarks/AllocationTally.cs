using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Xinyong.Benchmarks;

/// <summary>
/// Environment variable XINYONG_ALLOC_TALLY=1 in a phase's child process: the runtime's allocation samples (one event
/// per about 100 KB allocated, with the type of the object that crossed the mark) tallied by type and printed when the
/// phase ends, as a rough map of what the ingest allocates. A diagnostic; it slows the run a little.
/// </summary>
internal sealed class AllocationTally : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    public static AllocationTally? StartIfAsked() =>
        Environment.GetEnvironmentVariable("XINYONG_ALLOC_TALLY") == "1" ? new AllocationTally() : null;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var name = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames!.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(name, amount, (_, v) => v + amount);
    }

    public void Print(int top = 25)
    {
        var total = _bytes.Values.Sum();
        Console.WriteLine($"  allocation samples: {total / 1e9:F2} GB sampled; by type:");
        foreach (var (name, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(top))
        {
            Console.WriteLine($"    {bytes / 1e6,9:F0} MB  {100.0 * bytes / total,5:F1} %  {name}");
        }
    }
}
