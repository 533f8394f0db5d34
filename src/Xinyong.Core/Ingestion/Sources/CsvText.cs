namespace Xinyong.Core.Ingestion.Sources;

/// <summary>RFC 4180 quoting for the CSV files the platform writes (rejects, demo splits).</summary>
public static class CsvText
{
    public static string Quote(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Quote));
}
