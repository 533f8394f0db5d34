using System.Text.Json;

namespace Xinyong.Core.Ingestion.Sources;

/// <summary>
/// Streams a JSON array of objects (or {"rows": [...]}/{"data": [...]}). The header is the union of keys of the
/// first object; keys first seen later are appended as they appear.
/// </summary>
public sealed class JsonTableReader : ITableReader
{
    private readonly IEnumerator<JsonElement> _rows;
    private readonly List<string> _header = [];
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
    private string?[] _current = [];
    private JsonElement? _pending;
    private readonly IDisposable? _document;

    public JsonTableReader(Stream stream)
    {
        IEnumerable<JsonElement> rows;
        try
        {
            var first = PeekFirstNonWhitespace(stream);
            if (first == '[')
            {
                rows = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream).ToBlockingEnumerable();
            }
            else if (first == '{')
            {
                // Wrapped form: small payloads from department systems; parsed as a document.
                var doc = JsonDocument.Parse(stream);
                _document = doc;
                var root = doc.RootElement;
                var arr = root.TryGetProperty("rows", out var r) ? r : root.TryGetProperty("data", out var d) ? d : root.TryGetProperty("records", out var rec) ? rec : default;
                if (arr.ValueKind != JsonValueKind.Array)
                    throw new SourceFormatException("JSON 对象中没有 rows 数组", "The JSON object has no 'rows' array");
                rows = arr.EnumerateArray();
            }
            else
            {
                throw new SourceFormatException("JSON 文件应为对象数组", "A JSON file must be an array of objects");
            }
            _rows = rows.GetEnumerator();
            if (!MoveNext(out var firstRow))
                throw new SourceFormatException("JSON 数组为空，没有数据行", "The JSON array is empty");
            if (firstRow.ValueKind != JsonValueKind.Object)
                throw new SourceFormatException("JSON 数组的元素应为对象（每行一个对象，字段名为键）", "The JSON array must hold objects (one object per row, field names as keys)");
            _pending = firstRow;
            AddKeys(firstRow);
        }
        catch (JsonException ex)
        {
            throw new SourceFormatException($"JSON 格式错误（第 {ex.LineNumber + 1} 行）：{ex.Message}", $"Malformed JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
    }

    public IReadOnlyList<string> Header => _header;
    public IReadOnlyList<string?> Current => _current;
    public long RowNumber { get; private set; }

    public bool Read()
    {
        JsonElement row;
        if (_pending is { } p)
        {
            row = p;
            _pending = null;
        }
        else
        {
            try
            {
                if (!MoveNext(out row)) return false;
            }
            catch (JsonException ex)
            {
                throw new SourceFormatException($"JSON 格式错误（第 {RowNumber + 1} 个元素附近）：{ex.Message}", $"Malformed JSON near element {RowNumber + 1}: {ex.Message}", ex);
            }
            AddKeys(row);
        }
        RowNumber++;
        _current = new string?[_header.Count];
        if (row.ValueKind != JsonValueKind.Object) return true; // every field empty: reported as missing values
        foreach (var prop in row.EnumerateObject())
        {
            _current[_columns[prop.Name]] = prop.Value.ValueKind switch
            {
                JsonValueKind.String => prop.Value.GetString(),
                JsonValueKind.Number => prop.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => prop.Value.GetRawText(),
            };
        }
        return true;
    }

    private bool MoveNext(out JsonElement row)
    {
        if (_rows.MoveNext())
        {
            row = _rows.Current;
            return true;
        }
        row = default;
        return false;
    }

    private void AddKeys(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object) return;
        foreach (var prop in row.EnumerateObject())
        {
            if (_columns.ContainsKey(prop.Name)) continue;
            _columns[prop.Name] = _header.Count;
            _header.Add(prop.Name);
        }
    }

    private static int PeekFirstNonWhitespace(Stream stream)
    {
        var start = stream.Position;
        int b;
        do { b = stream.ReadByte(); } while (b is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);
        stream.Position = start;
        return b;
    }

    public void Dispose()
    {
        _rows.Dispose();
        _document?.Dispose();
    }
}
