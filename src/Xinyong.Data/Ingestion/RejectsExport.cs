using System.Text;
using System.Text.Json;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Data.Ingestion;

/// <summary>The rejected rows of a submission as a spreadsheet the department can correct and send again.</summary>
public static class RejectsExport
{
    private static readonly string[] Fixed = ["行号 Row", "字段 Field", "值 Value", "原因 Reason", "Reason (English)", "全部问题 All problems"];

    public static async Task WriteXlsxAsync(SubmissionStore store, long submissionId, Stream output, CancellationToken ct = default)
    {
        var (header, rows) = await BuildAsync(store, submissionId, ct);
        using var writer = new XlsxTableWriter(output, "rejected", header);
        foreach (var r in rows) writer.WriteRow(r);
    }

    public static async Task WriteCsvAsync(SubmissionStore store, long submissionId, Stream output, CancellationToken ct = default)
    {
        var (header, rows) = await BuildAsync(store, submissionId, ct);
        await using var w = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await w.WriteLineAsync(CsvText.Line(header));
        foreach (var r in rows) await w.WriteLineAsync(CsvText.Line(r));
    }

    private static async Task<(IReadOnlyList<string> Header, IEnumerable<string?[]> Rows)> BuildAsync(SubmissionStore store, long submissionId, CancellationToken ct)
    {
        var rejects = await store.RejectsAsync(submissionId, ct: ct);
        var rawColumns = new List<string>();
        var parsed = rejects.Select(r =>
        {
            var raw = JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Raw) ?? [];
            foreach (var k in raw.Keys) if (!rawColumns.Contains(k)) rawColumns.Add(k);
            var all = JsonSerializer.Deserialize<List<Core.Ingestion.RowIssue>>(r.Errors) ?? [];
            return (r, raw, all);
        }).ToList();
        var header = Fixed.Concat(rawColumns).ToList();
        var rows = parsed.Select(p =>
        {
            var cells = new string?[header.Count];
            cells[0] = p.r.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            cells[1] = p.r.Field;
            cells[2] = p.r.Value;
            cells[3] = p.r.ReasonZh;
            cells[4] = p.r.ReasonEn;
            cells[5] = string.Join("\n", p.all.Select(e => e.MessageZh));
            for (var i = 0; i < rawColumns.Count; i++) cells[Fixed.Length + i] = p.raw.GetValueOrDefault(rawColumns[i]);
            return cells;
        });
        return (header, rows);
    }

}
