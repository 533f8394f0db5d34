namespace Xinyong.Core.Ingestion.Sources;

/// <summary>
/// A forward-only reader over a tabular source (CSV, .xlsx sheet, JSON array of objects).
/// Rows are streamed: implementations must not load the whole source into memory.
/// </summary>
public interface ITableReader : IDisposable
{
    /// <summary>Column names as they appear in the source's header row, trimmed.</summary>
    IReadOnlyList<string> Header { get; }

    /// <summary>Advances to the next data row; false at the end of the source.</summary>
    bool Read();

    /// <summary>
    /// Cells of the current row aligned with <see cref="Header"/>; missing trailing cells are null.
    /// The returned list may be reused by the next call to <see cref="Read"/>.
    /// </summary>
    IReadOnlyList<string?> Current { get; }

    /// <summary>
    /// The 1-based row number of the current row as a clerk sees it in the source
    /// (for CSV and .xlsx: the spreadsheet row, header = row 1; for JSON: the element index + 1).
    /// </summary>
    long RowNumber { get; }
}

/// <summary>Thrown when a source cannot be read at all (bad encoding, not a spreadsheet, no header).</summary>
public sealed class SourceFormatException(string messageZh, string messageEn, Exception? inner = null)
    : Exception(messageEn, inner)
{
    public string MessageZh { get; } = messageZh;
    public string MessageEn { get; } = messageEn;
}
