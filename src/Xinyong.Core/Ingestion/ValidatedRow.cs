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

    /// <summary>What makes the row unusable (created when the first is added: most rows have none).</summary>
    public List<RowIssue> Errors => _errors ??= [];

    /// <summary>What the clerk should know about an accepted row (created when the first is added).</summary>
    public List<RowIssue> Warnings => _warnings ??= [];

    public bool IsValid => _errors is null || _errors.Count == 0;
    public bool HasWarnings => _warnings is { Count: > 0 };

    private List<RowIssue>? _errors;
    private List<RowIssue>? _warnings;

    public SubjectKind SubjectKind { get; set; }
    public DateOnly DecisionDate { get; set; }
    public string BusinessKey { get; set; } = "";
    public string ContentHash { get; set; } = "";
}

/// <summary>
/// A row's cells as sent, read by source heading: the heading list is the file's one list, shared by every row, so a
/// row holds only its cells (a pair per cell before, twice the memory for every row in flight).
/// </summary>
public sealed class SourceCells(IReadOnlyList<string> header, string?[] cells) : IReadOnlyList<KeyValuePair<string, string?>>
{
    public int Count => cells.Length;

    public KeyValuePair<string, string?> this[int index] => new(header[index], cells[index]);

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < cells.Length; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
