using Xinyong.Core.Ingestion;

namespace Xinyong.Data.Ingestion;

/// <summary>Row warnings summarised per kind, with the first few row numbers, for the submission summary.</summary>
internal sealed class WarningTally
{
    private readonly Dictionary<string, (long Count, List<long> Rows, RowIssue Sample)> _byCode = new(StringComparer.Ordinal);

    public void Add(RowIssue w, long row)
    {
        var key = w.Field + "/" + w.Code;
        if (!_byCode.TryGetValue(key, out var t)) t = (0, [], w);
        if (t.Rows.Count < 10) t.Rows.Add(row);
        _byCode[key] = (t.Count + 1, t.Rows, t.Sample);
    }

    public IEnumerable<FileIssue> ToIssues() => _byCode.Select(kv =>
    {
        var rows = string.Join(", ", kv.Value.Rows);
        return new FileIssue("rows_" + kv.Key, $"{kv.Value.Count} 行提示（如第 {rows} 行）：{kv.Value.Sample.MessageZh}",
            $"{kv.Value.Count} rows warned (e.g. rows {rows}): {kv.Value.Sample.MessageEn}", Fatal: false);
    });
}
