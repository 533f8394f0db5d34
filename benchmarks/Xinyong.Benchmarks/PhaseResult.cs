using System.Text.Json;

namespace Xinyong.Benchmarks;

/// <summary>What a child process reports about the one phase it measured (one JSON line on stdout).</summary>
public sealed record PhaseResult
{
    public const string Marker = "RESULT ";

    public required string Phase { get; init; }
    public required string Provider { get; init; }
    public long Rows { get; init; }
    public double Seconds { get; init; }
    public double PenaltySeconds { get; init; }
    public double LicenceSeconds { get; init; }
    /// <summary>Maximum of the 50 ms working-set samples taken during the timed part.</summary>
    public long SampledPeakBytes { get; init; }
    /// <summary>Kernel high-water mark of the child process (includes its setup: migration, connection pools).</summary>
    public long ProcessPeakBytes { get; init; }
    /// <summary>Maximum of GC.GetTotalMemory(false) during the timed part.</summary>
    public long ManagedPeakBytes { get; init; }
    public long Samples { get; init; }
    /// <summary>Maximum of the GC's committed memory during the timed part.</summary>
    public long CommittedPeakBytes { get; init; }
    /// <summary>CPU time of the benchmark process (not the database server) during the timed part.</summary>
    public double CpuSeconds { get; init; }
    /// <summary>Bytes allocated on the managed heap during the timed part, and the number of collections.</summary>
    public long AllocatedBytes { get; init; }
    public int Collections { get; init; }
    /// <summary>CPU time of the local PostgreSQL server during the timed part (0 for SQLite or a remote server).</summary>
    public double ServerCpuSeconds { get; init; }
    public long Accepted { get; init; }
    public long Rejected { get; init; }
    public long SubjectsCreated { get; init; }
    public long RowsInDatabase { get; init; }
    public int BatchSize { get; init; }
    /// <summary>Size of the database after the phase (SQLite file + WAL, or pg_database_size).</summary>
    public long DatabaseBytes { get; init; }
    public string? Note { get; init; }
    /// <summary>The machine's 1-minute load average when the phase ended (other work on a shared machine).</summary>
    public double LoadAverage { get; init; }
    /// <summary>Which round of the orchestrator's --rounds this run was (set by the orchestrator, 1 and up).</summary>
    public int Round { get; init; }

    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string ToLine() => Marker + JsonSerializer.Serialize(this, Json);

    public static PhaseResult? FromLine(string line) =>
        line.StartsWith(Marker, StringComparison.Ordinal) ? JsonSerializer.Deserialize<PhaseResult>(line[Marker.Length..], Json) : null;
}
