using System.Diagnostics;

namespace Xinyong.Data.Ingestion;

/// <summary>
/// Where the database side of the ingest spends its time, accumulated over the runs of one <see cref="IngestionRunner"/>:
/// a few clock reads per chunk, cheap enough to stay on. The ingest benchmark prints them. On SQLite every stage runs on
/// the writer thread; on PostgreSQL the look-ups, resolution and new subjects run on the resolving stage, a chunk ahead
/// of the writer, so the stages overlap and their sum can exceed the wall time.
/// </summary>
public sealed class IngestStageTimes
{
    public const string WaitingForRows = "waiting for the reader";
    public const string IdentifierLookups = "identifier look-ups";
    public const string Resolution = "resolving rows";
    public const string SubjectWrites = "new subjects and identifiers";
    public const string RecordInserts = "record inserts";
    public const string ExistingLookups = "existing records and new versions";
    public const string Rejects = "rejected rows";
    public const string Commits = "batch commits";

    private readonly Dictionary<string, long> _ticks = [];
    private readonly Lock _gate = new();

    /// <summary>Adds the time since <paramref name="since"/> (a <see cref="Stopwatch.GetTimestamp"/>) to a stage; returns now.</summary>
    public long Add(string stage, long since)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _ticks[stage] = _ticks.GetValueOrDefault(stage) + (now - since);
        }
        return now;
    }

    /// <summary>The stages in the order first timed, with their total time.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Time)> Snapshot()
    {
        lock (_gate)
        {
            return _ticks.Select(kv => (kv.Key, Stopwatch.GetElapsedTime(0, kv.Value))).ToList();
        }
    }
}
