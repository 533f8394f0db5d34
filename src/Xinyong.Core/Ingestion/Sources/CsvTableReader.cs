using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Xinyong.Core.Ingestion.Sources;

/// <summary>
/// Streams a CSV file in UTF-8 (with or without BOM) or GB18030, detected from the bytes;
/// the delimiter (comma, tab, semicolon) is detected from the header line.
/// </summary>
public sealed class CsvTableReader : ITableReader
{
    private readonly CsvReader _csv;
    private readonly string?[] _row;
    private readonly IReadOnlyList<string?> _rowView;

    public CsvTableReader(Stream stream)
    {
        var encoding = TextEncodings.Detect(stream);
        var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", "\t", ";", "|"],
            BadDataFound = null,
            MissingFieldFound = null,
            TrimOptions = TrimOptions.None,
            IgnoreBlankLines = true,
        };
        _csv = new CsvReader(reader, config);
        try
        {
            if (!_csv.Read() || !_csv.ReadHeader())
                throw new SourceFormatException("文件为空，没有表头行", "The file is empty: there is no header row");
        }
        catch (CsvHelperException ex)
        {
            throw new SourceFormatException("无法读取 CSV 表头：" + ex.Message, "Cannot read the CSV header: " + ex.Message, ex);
        }
        Header = (_csv.HeaderRecord ?? []).Select(h => h.Trim().Trim('\uFEFF')).ToArray();
        if (Header.Count == 0 || Header.All(string.IsNullOrWhiteSpace))
            throw new SourceFormatException("文件为空，没有表头行", "The file is empty: there is no header row");
        _row = new string?[Header.Count];
        _rowView = _row;
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string?> Current => _rowView;
    public long RowNumber { get; private set; } = 1;

    public bool Read()
    {
        while (_csv.Read())
        {
            var parser = _csv.Parser;
            var count = parser.Count;
            var empty = true;
            for (var i = 0; i < _row.Length; i++)
            {
                var v = i < count ? parser[i] : null;
                _row[i] = v;
                if (!string.IsNullOrWhiteSpace(v)) empty = false;
            }
            // CsvHelper counts physical lines; a clerk's spreadsheet row is the record index + header.
            RowNumber = parser.Row;
            if (empty) continue;
            return true;
        }
        return false;
    }

    public void Dispose() => _csv.Dispose();
}

/// <summary>Detects the text encoding of department files: UTF-8 (BOM or valid), else GB18030.</summary>
public static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>Looks at the first 256 KB and rewinds the stream.</summary>
    public static Encoding Detect(Stream stream)
    {
        if (!stream.CanSeek) throw new ArgumentException("Encoding detection needs a seekable stream.", nameof(stream));
        var start = stream.Position;
        var buffer = new byte[256 * 1024];
        var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        stream.Position = start;
        var span = buffer.AsSpan(0, n);
        if (span.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) return new UTF8Encoding(false);
        if (span.StartsWith(new byte[] { 0xFF, 0xFE }) || span.StartsWith(new byte[] { 0xFE, 0xFF }) || span.IndexOf((byte)0) >= 0)
        {
            throw new SourceFormatException(
                "文件编码无法识别（疑似 UTF-16 或二进制文件）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新报送",
                "The file encoding is not supported (looks like UTF-16 or a binary file). Save it as 'CSV UTF-8' or .xlsx and submit again");
        }
        // A multi-byte sequence may be cut at the end of the sample: ignore up to 3 trailing bytes.
        if (IsValidUtf8(span, n == buffer.Length)) return new UTF8Encoding(false);
        try
        {
            Gb18030.GetCharCount(span[..TrimPartialGb(span, n == buffer.Length)]);
            return Encoding.GetEncoding("GB18030");
        }
        catch (DecoderFallbackException ex)
        {
            throw new SourceFormatException(
                "文件编码无法识别：既不是 UTF-8 也不是 GB18030。请另存为 UTF-8 编码的 CSV 或 .xlsx 后重新报送",
                "The file encoding is neither UTF-8 nor GB18030. Save it as a UTF-8 CSV or .xlsx and submit again", ex);
        }
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes, bool truncated)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false, isFinalBlock: !truncated);
        return status == System.Buffers.OperationStatus.Done || (truncated && status == System.Buffers.OperationStatus.NeedMoreData && read >= bytes.Length - 4);
    }

    private static int TrimPartialGb(ReadOnlySpan<byte> bytes, bool truncated)
    {
        if (!truncated) return bytes.Length;
        // Cut back to the last ASCII byte so that no multi-byte GB18030 sequence is split.
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] >= 0x80) end--;
        return end;
    }
}
