namespace Xinyong.Core.Ingestion.Sources;

public enum SourceFormat { Csv, Xlsx, Json }

/// <summary>Opens a department's file by its content (not only its extension): xlsx, JSON or CSV.</summary>
public static class TableSources
{
    public static SourceFormat Detect(Stream stream, string? fileName = null)
    {
        var start = stream.Position;
        Span<byte> head = stackalloc byte[8];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (n == 0) throw new SourceFormatException("文件为空（0 字节）", "The file is empty (0 bytes)");
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return SourceFormat.Xlsx;
        if (n >= 8 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0)
        {
            throw new SourceFormatException("这是旧版 Excel (.xls) 文件，请在 Excel 中另存为 .xlsx 后重新报送",
                "This is a legacy Excel (.xls) file; save it as .xlsx and submit again");
        }
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (ext == ".json") return SourceFormat.Json;
        var i = head[..n].StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? 3 : 0;
        while (i < n && head[i] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t') i++;
        if (i < n && head[i] is (byte)'[' or (byte)'{') return SourceFormat.Json;
        return SourceFormat.Csv;
    }

    /// <summary>Opens a seekable stream; the reader owns it from here on.</summary>
    public static ITableReader Open(Stream stream, string? fileName = null) => Detect(stream, fileName) switch
    {
        SourceFormat.Xlsx => new XlsxTableReader(stream),
        SourceFormat.Json => new JsonTableReader(stream),
        _ => new CsvTableReader(stream),
    };
}
