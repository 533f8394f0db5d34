using System.Globalization;

namespace Xinyong.WebBench;

internal sealed record SubjectRow(
    long Id, string Kind, string? Uscc, string Name, string NameKey, string? LegalRepresentative, string? DivisionCode,
    long CreatedBySubmission, DateTime CreatedAt);

internal sealed record NameRow(long SubjectId, string Name, string NameKey, bool IsCurrent, DateTime FirstSeen);

/// <summary>One stored record: the generated row plus what the ingest would have decided around it.</summary>
internal readonly record struct RecordPlacement(
    long Id, string RecordType, long DepartmentId, long SubjectId, string SubjectKind, long SubmissionId, long RowNumber,
    int LagWorkingDays, DateTime ReceivedAt, string DecisionNumber, string AuthorityName, string? AuthorityCode, string SubjectName);

internal sealed record SubmissionRow(
    long Id, long DepartmentId, string RecordType, string FileName, string Sha256, long FileSize, long Rows, long Late,
    long SubjectsCreated, DateTime ReceivedAt);

/// <summary>
/// Writes the seeded tables at each database's raw speed. Secondary indexes (and on PostgreSQL keys and foreign keys)
/// are dropped before the load and built again, with their migrated definitions, by <see cref="FinishAsync"/>.
/// </summary>
internal interface IBulkLoader : IAsyncDisposable
{
    Task BeginAsync(CancellationToken ct);
    void AddSubject(SubjectRow s);
    void AddIdentifier(string scheme, string value, long subjectId);
    void AddName(NameRow n);
    void AddRecord(in RecordPlacement p, SeedRow row, DateTime computedAt);
    Task AddSubmissionsAsync(IReadOnlyList<SubmissionRow> rows, CancellationToken ct);

    /// <summary>Commits, rebuilds indexes and keys, updates statistics; reports each step with its duration.</summary>
    Task FinishAsync(Action<string, TimeSpan> step, CancellationToken ct);

    /// <summary>Size of the database on disk after the load (bytes).</summary>
    Task<long> SizeAsync(CancellationToken ct);
}

internal static class Tables
{
    /// <summary>The tables the seeder fills; their indexes are dropped during the load.</summary>
    public static readonly string[] Loaded = ["subjects", "subject_identifiers", "subject_names", "submissions", "records", "publications"];

    public static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
