namespace Xinyong.Data.Lists;

/// <summary>A notice the platform sent about an entry (to the subject or to a department).</summary>
public sealed record ListNotice
{
    public long Id { get; init; }
    public long EntryId { get; init; }
    public string RecipientKind { get; init; } = default!;
    public long? DepartmentId { get; init; }
    public string Kind { get; init; } = default!;
    public string TextZh { get; init; } = default!;
    public string TextEn { get; init; } = default!;
    public long? CausedByEntry { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A listing decided by a department in its own procedure, sent to the platform (one row of a bulk file or an API call).</summary>
public sealed record ListDecision(
    string ListType,
    long SubjectId,
    long DepartmentId,
    string? Grounds,
    string? Evidence,
    string? LegalBasis,
    string? DecisionNumber,
    DateOnly DecidedOn,
    DateOnly? ListedFrom = null,
    DateOnly? ListedUntil = null,
    long? SourceRecordId = null,
    string? BusinessKey = null);
