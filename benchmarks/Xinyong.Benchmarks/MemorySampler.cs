using System.Diagnostics;

namespace Xinyong.Benchmarks;

/// <summary>
/// Samples the process's working set (resident memory) and the managed heap every 50 ms and keeps the maxima.
/// Together with <see cref="Process.PeakWorkingSet64"/> (the kernel's high-water mark, VmHWM on Linux) it gives the
/// peak memory of a phase; each phase runs in its own process, so the high-water mark belongs to that phase alone.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Lock _gate = new();
    private Timer? _timer;
    private long _maxWorkingSet;
    private long _maxManaged;
    private long _maxCommitted;
    private long _samples;
    private readonly HashSet<long> _seen = [];
    private readonly SortedDictionary<string, (int Count, long Promoted, TimeSpan Paused)> _collections = [];

    /// <summary>
    /// The collections seen by the samples (the last of each kind at each sample, so a few are missed when they come
    /// faster than the samples), by kind: how many, the bytes they promoted and their pauses. A diagnostic.
    /// </summary>
    public string CollectionsSeen
    {
        get
        {
            lock (_gate)
            {
                return string.Join("; ", _collections.Select(kv =>
                    $"{kv.Key} {kv.Value.Count}× promoted {kv.Value.Promoted / 1e6:F0} MB paused {kv.Value.Paused.TotalSeconds:F1} s"));
            }
        }
    }

    public static TimeSpan Interval { get; } = TimeSpan.FromMilliseconds(50);

    public void Start()
    {
        _cpuAtStart = Environment.CpuUsage.TotalTime;
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
        _gcsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        Sample();
        _timer = new Timer(_ => Sample(), null, Interval, Interval);
    }

    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
        Sample();
        CpuSeconds = (Environment.CpuUsage.TotalTime - _cpuAtStart).TotalSeconds;
        AllocatedBytes = GC.GetTotalAllocatedBytes() - _allocatedAtStart;
        Collections = GC.CollectionCount(0) - _gcsAtStart[0];
        Generation1Collections = GC.CollectionCount(1) - _gcsAtStart[1];
        Generation2Collections = GC.CollectionCount(2) - _gcsAtStart[2];
    }

    /// <summary>Bytes allocated on the managed heap between Start and Stop, all threads.</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>Garbage collections (of any generation) between Start and Stop.</summary>
    public int Collections { get; private set; }

    /// <summary>Of <see cref="Collections"/>, those that collected generation 1 (and 0), and those that collected generation 2 too.</summary>
    public int Generation1Collections { get; private set; }

    public int Generation2Collections { get; private set; }

    private long _allocatedAtStart;
    private int[] _gcsAtStart = [0, 0, 0];

    /// <summary>CPU time (user + system) of this process between Start and Stop, all threads.</summary>
    public double CpuSeconds { get; private set; }

    private TimeSpan _cpuAtStart;

    public long MaxWorkingSet { get { lock (_gate) return _maxWorkingSet; } }
    public long MaxManaged { get { lock (_gate) return _maxManaged; } }

    /// <summary>Highest memory committed by the GC (its heap including free space), from the samples.</summary>
    public long MaxCommitted { get { lock (_gate) return _maxCommitted; } }
    public long Samples { get { lock (_gate) return _samples; } }

    /// <summary>The kernel's high-water mark of resident memory for the whole process lifetime.</summary>
    public long PeakWorkingSet
    {
        get
        {
            lock (_gate)
            {
                _process.Refresh();
                return _process.PeakWorkingSet64;
            }
        }
    }

    private void Sample()
    {
        lock (_gate)
        {
            _process.Refresh();
            _maxWorkingSet = Math.Max(_maxWorkingSet, _process.WorkingSet64);
            _maxManaged = Math.Max(_maxManaged, GC.GetTotalMemory(forceFullCollection: false));
            _maxCommitted = Math.Max(_maxCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
            foreach (var kind in (ReadOnlySpan<GCKind>)[GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background])
            {
                var info = GC.GetGCMemoryInfo(kind);
                if (info.Index == 0 || !_seen.Add(info.Index)) continue;
                var pause = TimeSpan.Zero;
                foreach (var d in info.PauseDurations) pause += d;
                var key = kind == GCKind.Ephemeral ? $"gen{info.Generation}" : kind.ToString();
                var (n, promoted, paused) = _collections.GetValueOrDefault(key);
                _collections[key] = (n + 1, promoted + info.PromotedBytes, paused + pause);
            }
            _samples++;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _process.Dispose();
    }
}
