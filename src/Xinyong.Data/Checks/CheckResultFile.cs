using System.Globalization;
using System.Text;
using Xinyong.Core.Checks;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Data.Checks;

/// <summary>
/// The result file of a batch check, one line per input row in input order: what was given, the subject matched and
/// how (exact code / legacy code / name with its score), the outcome and every reason with its rule and evidence.
/// CSV (UTF-8 with BOM, so Excel opens Chinese text) or .xlsx.
/// </summary>
public static class CheckResultFile
{
    public static readonly string[] Header =
    [
        "行号", "输入代码", "输入名称", "匹配主体", "统一社会信用代码", "匹配方式", "匹配得分", "匹配说明", "核查结果", "结果代码", "原因",
    ];

    public static IEnumerable<string?[]> Lines(IEnumerable<CheckRowResult> results)
    {
        foreach (var r in results)
        {
            yield return
            [
                r.Row.ToString(CultureInfo.InvariantCulture), r.InputCode, r.InputName, r.SubjectName, r.Uscc,
                MatchMethods.ToChinese(r.MatchMethod) + (r.MatchScheme is null || r.MatchMethod == MatchMethods.Name ? "" : $"（{r.MatchScheme}）"),
                r.MatchScore?.ToString("0.000", CultureInfo.InvariantCulture), r.MatchNote, r.Outcome.ToChinese(), r.Outcome.ToCode(),
                string.Join("；", r.Reasons.Select(x => x.TextZh)),
            ];
        }
    }

    public static async Task WriteCsvAsync(IEnumerable<CheckRowResult> results, Stream output, CancellationToken ct = default)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(true), 1 << 16, leaveOpen: true);
        await w.WriteLineAsync(CsvText.Line(Header));
        foreach (var line in Lines(results))
        {
            ct.ThrowIfCancellationRequested();
            await w.WriteLineAsync(CsvText.Line(line));
        }
    }

    public static void WriteXlsx(IEnumerable<CheckRowResult> results, Stream output)
    {
        using var x = new XlsxTableWriter(output, "核查结果", Header);
        foreach (var line in Lines(results)) x.WriteRow(line);
    }

    /// <summary>Writes by extension: .xlsx as a workbook, anything else as CSV.</summary>
    public static async Task WriteAsync(IEnumerable<CheckRowResult> results, string path, CancellationToken ct = default)
    {
        await using var f = File.Create(path);
        if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) WriteXlsx(results, f);
        else await WriteCsvAsync(results, f, ct);
    }
}
