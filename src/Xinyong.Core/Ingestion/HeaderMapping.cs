using Xinyong.Core.Catalogue;
using Xinyong.Core.Normalization;

namespace Xinyong.Core.Ingestion;

/// <summary>
/// Which source column feeds which catalogue field. Columns may come in any order, under the current national
/// name, an older variant, or the Chinese heading; optional columns may be absent; unknown columns are reported.
/// </summary>
public sealed class HeaderMapping
{
    /// <summary>For each catalogue field (by index), the source column index or -1.</summary>
    public int[] ColumnOfField { get; }
    public IReadOnlyList<FileIssue> Issues { get; }
    public bool IsUsable => !Issues.Any(i => i.Fatal);

    private HeaderMapping(int[] columnOfField, IReadOnlyList<FileIssue> issues)
    {
        ColumnOfField = columnOfField;
        Issues = issues;
    }

    public static HeaderMapping Map(RecordType type, IReadOnlyList<string> header)
    {
        var lookup = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < type.Fields.Count; i++)
        {
            var f = type.Fields[i];
            lookup[Key(f.Name)] = i;
            foreach (var a in f.Aliases) lookup.TryAdd(Key(a), i);
        }
        var ignored = new HashSet<string>(type.IgnoredColumns.Select(Key), StringComparer.OrdinalIgnoreCase);

        var columnOfField = Enumerable.Repeat(-1, type.Fields.Count).ToArray();
        var issues = new List<FileIssue>();
        var unknown = new List<string>();
        var renamed = new List<string>();
        for (var c = 0; c < header.Count; c++)
        {
            var h = header[c];
            if (string.IsNullOrWhiteSpace(h)) continue;
            var key = Key(h);
            if (!lookup.TryGetValue(key, out var fi))
            {
                if (!ignored.Contains(key)) unknown.Add(h);
                continue;
            }
            var field = type.Fields[fi];
            if (columnOfField[fi] >= 0)
            {
                issues.Add(new FileIssue("duplicate_column",
                    $"列“{h}”与第 {columnOfField[fi] + 1} 列都对应字段 {field.Name}（{field.LabelZh}），已使用第 {columnOfField[fi] + 1} 列",
                    $"Column '{h}' and column {columnOfField[fi] + 1} both map to {field.Name} ({field.LabelEn}); column {columnOfField[fi] + 1} is used",
                    Fatal: false));
                continue;
            }
            columnOfField[fi] = c;
            if (!string.Equals(key, Key(field.Name), StringComparison.OrdinalIgnoreCase)) renamed.Add($"{h}→{field.Name}");
        }

        if (unknown.Count > 0)
        {
            issues.Add(new FileIssue("unknown_columns",
                $"以下列不在“{type.NameZh}”归集目录中，已忽略：{string.Join("、", unknown)}",
                $"These columns are not in the '{type.NameEn}' catalogue and were ignored: {string.Join(", ", unknown)}",
                Fatal: false));
        }
        if (renamed.Count > 0)
        {
            issues.Add(new FileIssue("mapped_columns",
                $"以下列按旧版字段名或中文列名识别：{string.Join("、", renamed)}",
                $"These columns were recognised by an older field name or a Chinese heading: {string.Join(", ", renamed)}",
                Fatal: false));
        }
        var mapped = columnOfField.Count(c => c >= 0);
        if (mapped == 0)
        {
            issues.Add(new FileIssue("no_known_columns",
                $"表头中没有任何“{type.NameZh}”字段（如 {type.Fields[0].Name}）。请确认数据类型是否选对、文件编码是否为 UTF-8 或 GB18030",
                $"The header has no '{type.NameEn}' field (such as {type.Fields[0].Name}). Check the record type and that the file is UTF-8 or GB18030",
                Fatal: true));
        }
        else
        {
            var missing = type.Fields.Where((f, i) => f.Required && columnOfField[i] < 0).ToList();
            if (missing.Count > 0)
            {
                issues.Add(new FileIssue("missing_columns",
                    $"缺少必填列：{string.Join("、", missing.Select(f => $"{f.Name}（{f.LabelZh}）"))}",
                    $"Required columns are missing: {string.Join(", ", missing.Select(f => $"{f.Name} ({f.LabelEn})"))}",
                    Fatal: true));
            }
        }
        return new HeaderMapping(columnOfField, issues);
    }

    private static string Key(string heading)
    {
        var s = ChineseText.ToHalfWidth(heading).Trim().Replace(" ", "", StringComparison.Ordinal);
        var star = s.IndexOf('*', StringComparison.Ordinal); // "CF_WSH*" marks required in some templates
        return star >= 0 ? s.Remove(star, 1) : s;
    }
}
