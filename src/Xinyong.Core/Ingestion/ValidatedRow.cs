using Xinyong.Core.Subjects;

namespace Xinyong.Core.Ingestion;

/// <summary>One source row after validation: normalised values aligned with the record type's fields.</summary>
public sealed class ValidatedRow
{
    public required long RowNumber { get; init; }

    /// <summary>Normalised values, index-aligned with <see cref="Catalogue.RecordType.Fields"/>; null = empty.</summary>
    public required string?[] Values { get; init; }

    /// <summary>The cells as the department sent them, by source heading (kept with a rejected row).</summary>
    public required IReadOnlyList<KeyValuePair<string, string?>> Raw { get; init; }

    public List<RowIssue> Errors { get; } = [];
    public List<RowIssue> Warnings { get; } = [];
    public bool IsValid => Errors.Count == 0;

    public SubjectKind SubjectKind { get; set; }
    public DateOnly DecisionDate { get; set; }
    public string BusinessKey { get; set; } = "";
    public string ContentHash { get; set; } = "";
}
