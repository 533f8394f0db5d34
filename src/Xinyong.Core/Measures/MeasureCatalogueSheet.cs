using System.Globalization;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Core.Lists;

namespace Xinyong.Core.Measures;

/// <summary>
/// The measure catalogue as a spreadsheet (.xlsx, one row per measure version) for staff to edit and import. Export
/// writes Chinese labels (department names, list names, matter kinds); import accepts those labels or the codes.
/// </summary>
public static class MeasureCatalogueSheet
{
    public static readonly IReadOnlyList<string> Header =
    [
        "编号 Id", "类别 Kind", "措施性质 Nature", "措施内容 Measure", "措施内容（英文） Measure (English)", "法律依据 Legal basis",
        "实施部门 Departments", "触发名单 List types", "适用事项 Matter kinds", "延伸对象 Extends to", "生效日期 Effective from", "失效日期 Effective until",
    ];

    private static readonly char[] Separators = ['；', ';', '、', ',', '，', '\n', '\r'];

    /// <param name="departmentNames">Department code to name (for readable cells).</param>
    public static void Write(MeasureCatalogue catalogue, ListTypeCatalogue types, IReadOnlyDictionary<string, string> departmentNames, Stream output)
    {
        using var w = new XlsxTableWriter(output, "措施清单", Header);
        foreach (var m in catalogue.All)
        {
            w.WriteRow(
            [
                m.Id, m.Kind == MeasureKind.Reward ? "奖励" : "惩戒", MeasureNatures.Find(m.Nature)?.Zh ?? m.Nature, m.TextZh, m.TextEn, m.LegalBasis,
                string.Join("；", m.Departments.Select(d => d == Measure.AllDepartments ? "各有关部门" : departmentNames.GetValueOrDefault(d, d))),
                string.Join("；", m.ListTypes.Select(t => types.Latest(t)?.NameZh ?? t)),
                string.Join("；", m.MatterKinds.Select(k => MatterKinds.Find(k)?.Zh ?? k)),
                string.Join("；", m.ExtendsTo.Select(SubjectRoles.ToChinese)),
                m.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                m.EffectiveUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ]);
        }
    }

    /// <summary>
    /// Reads and validates a catalogue spreadsheet; refuses with every problem and its row. Departments and list types
    /// may be given by code or Chinese name.
    /// </summary>
    public static MeasureCatalogue Read(Stream input, string version, DateOnly issuedOn, ListTypeCatalogue types, IReadOnlyDictionary<string, string> departmentNames)
    {
        using var reader = new XlsxTableReader(input);
        var col = Header.Select(h => IndexOf(reader.Header, h)).ToArray();
        var missing = Header.Where((h, i) => col[i] < 0 && i is 0 or 1 or 3 or 5 or 6 or 7 or 8 or 10).ToList();
        if (missing.Count > 0)
        {
            throw new CatalogueInvalidException([new CatalogueIssue(1, null, "header", $"表头缺少列：{string.Join("、", missing)}。",
                $"Missing columns: {string.Join(", ", missing)}.")]);
        }
        var byDeptName = departmentNames.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var byListName = types.Ids.Select(id => types.Latest(id)!).ToDictionary(t => t.NameZh, t => t.Id, StringComparer.Ordinal);
        var rows = new List<(long? Row, MeasureCatalogue.MeasureDto Dto)>();
        var issues = new List<CatalogueIssue>();
        while (reader.Read())
        {
            var c = reader.Current;
            string? Cell(int i) => col[i] < 0 || col[i] >= c.Count ? null : c[col[i]]?.Trim();
            if (Enumerable.Range(0, Header.Count).All(i => string.IsNullOrEmpty(Cell(i)))) continue;
            var row = reader.RowNumber;
            DateOnly? Date(int i, string field)
            {
                var s = Cell(i);
                if (string.IsNullOrEmpty(s)) return null;
                if (TryDate(s, out var d)) return d;
                issues.Add(new CatalogueIssue(row, Cell(0), field, $"日期“{s}”无法识别，请写成 2026-12-01。", $"Date '{s}' not understood; write 2026-12-01."));
                return null;
            }
            rows.Add((row, new MeasureCatalogue.MeasureDto
            {
                Id = Cell(0),
                Kind = Cell(1),
                Nature = Cell(2),
                TextZh = Cell(3),
                TextEn = Cell(4),
                LegalBasis = Cell(5),
                Departments = Split(Cell(6)).Select(d => d == "各有关部门" ? Measure.AllDepartments : byDeptName.GetValueOrDefault(d, d)).ToList(),
                ListTypes = Split(Cell(7)).Select(t => byListName.GetValueOrDefault(t, t)).ToList(),
                MatterKinds = Split(Cell(8)),
                ExtendsTo = Split(Cell(9)),
                EffectiveFrom = Date(10, "effectiveFrom"),
                EffectiveUntil = Date(11, "effectiveUntil"),
            }));
        }
        var all = new List<CatalogueIssue>(issues);
        MeasureCatalogue? catalogue = null;
        try
        {
            catalogue = MeasureCatalogue.Build(version, issuedOn, rows, types, departmentNames.Keys.ToList());
        }
        catch (CatalogueInvalidException e)
        {
            // A date that could not be read is reported once, not again as "missing".
            all.AddRange(e.Issues.Where(i => !issues.Any(x => x.Row == i.Row && x.Field == i.Field)));
        }
        if (all.Count > 0) throw new CatalogueInvalidException(all);
        return catalogue!;
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        var zh = name.Split(' ')[0];
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name || header[i] == zh) return i;
        }
        return -1;
    }

    private static List<string> Split(string? cell) =>
        string.IsNullOrWhiteSpace(cell) ? [] : cell.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool TryDate(string s, out DateOnly d)
    {
        if (DateOnly.TryParseExact(s, ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyy.M.d", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out d)) return true;
        // An edited cell formatted as a date arrives as its serial number.
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 20000 and < 80000)
        {
            d = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }
        return false;
    }
}
