using System.Globalization;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Normalization;
using Xinyong.Identifiers;

namespace Xinyong.Core.Lists;

/// <summary>One valid row of a department's designation file: a listing it decided, and whom it concerns.</summary>
public sealed record ListImportRow(
    long RowNumber,
    string Name,
    string? CreditCode,
    string? IdNumber,
    string Grounds,
    string? Evidence,
    string LegalBasis,
    string DecisionNumber,
    DateOnly DecidedOn,
    DateOnly? ListedFrom,
    DateOnly? ListedUntil,
    string? BusinessKey);

/// <summary>A column of a designation file: its key, its labels, and the headings it is known by (court and department exports vary).</summary>
public sealed record ListImportField(string Key, string LabelZh, string LabelEn, bool Required, IReadOnlyList<string> Aliases);

/// <summary>
/// The columns of a bulk designation file (e.g. the court's push of judgment defaulters) and the per-row checks.
/// A subject is named by its credit code or ID number, never by name alone; every row carries its own legal basis and
/// decision number, because each row is a decision the department took.
/// </summary>
public sealed class ListImportColumns
{
    public static readonly IReadOnlyList<ListImportField> Fields =
    [
        new("name", "主体名称", "Subject name", true, ["主体名称", "名称", "被执行人姓名/名称", "被执行人名称", "被执行人姓名", "姓名", "企业名称", "单位名称", "subjectName"]),
        new("creditCode", "统一社会信用代码", "Unified social credit code", false, ["统一社会信用代码", "社会信用代码", "信用代码", "uscc", "CF_XDR_SHXYM"]),
        new("idNumber", "身份证件号码", "ID number", false, ["身份证件号码", "身份证号码", "身份证号", "证件号码", "idcard"]),
        new("grounds", "认定事实和理由", "Grounds", true, ["认定事实和理由", "认定事实", "失信情形", "失信被执行人行为具体情形", "列入事由", "列入原因"]),
        new("evidence", "证据", "Evidence", false, ["证据", "证据材料", "执行依据文号", "生效法律文书"]),
        new("legalBasis", "认定依据", "Legal basis", true, ["认定依据", "法律依据", "列入依据", "依据"]),
        new("decisionNumber", "决定文书号", "Decision number", true, ["决定文书号", "决定书文号", "文书号", "案号", "文号"]),
        new("decidedOn", "决定日期", "Decision date", true, ["决定日期", "认定日期", "列入日期", "发布时间", "发布日期"]),
        new("listedFrom", "公布起始日期", "Listed from", false, ["公布起始日期", "公示起始日期", "公布日期"]),
        new("listedUntil", "公布截止日期", "Listed until", false, ["公布截止日期", "公示截止日期", "截止日期", "移出日期"]),
        new("businessKey", "业务编号", "Business key", false, ["业务编号", "唯一标识", "编号"]),
    ];

    private readonly int[] _column;

    private ListImportColumns(int[] column, IReadOnlyList<FileIssue> issues)
    {
        _column = column;
        Issues = issues;
    }

    public IReadOnlyList<FileIssue> Issues { get; }
    public bool IsUsable => !Issues.Any(i => i.Fatal);

    /// <summary>Maps the header of a file to the fields; unknown columns are noted, missing required columns are fatal.</summary>
    public static ListImportColumns Map(IReadOnlyList<string> header)
    {
        var column = Enumerable.Repeat(-1, Fields.Count).ToArray();
        var lookup = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Fields.Count; i++)
        {
            lookup.TryAdd(Key(Fields[i].Key), i);
            foreach (var a in Fields[i].Aliases) lookup.TryAdd(Key(a), i);
        }
        var unknown = new List<string>();
        for (var c = 0; c < header.Count; c++)
        {
            if (string.IsNullOrWhiteSpace(header[c])) continue;
            if (lookup.TryGetValue(Key(header[c]), out var f))
            {
                if (column[f] < 0) column[f] = c;
            }
            else
            {
                unknown.Add(header[c]);
            }
        }
        var issues = new List<FileIssue>();
        if (unknown.Count > 0)
        {
            issues.Add(new FileIssue("unknown_columns", $"以下列不是名单认定字段，已忽略：{string.Join("、", unknown)}",
                $"These columns are not designation fields and were ignored: {string.Join(", ", unknown)}", Fatal: false));
        }
        var missing = Fields.Where((f, i) => f.Required && column[i] < 0).ToList();
        if (missing.Count > 0)
        {
            issues.Add(new FileIssue("missing_columns", $"缺少必填列：{string.Join("、", missing.Select(f => f.LabelZh))}",
                $"Required columns are missing: {string.Join(", ", missing.Select(f => f.LabelEn))}", Fatal: true));
        }
        if (column[1] < 0 && column[2] < 0)
        {
            issues.Add(new FileIssue("no_subject_code", "缺少主体代码列：须有“统一社会信用代码”或“身份证件号码”列，名单不按名称匹配主体",
                "No subject code column: the file needs a credit code or ID number column; subjects are never matched by name", Fatal: true));
        }
        return new ListImportColumns(column, issues);
    }

    /// <summary>Checks one row; returns null and fills <paramref name="issues"/> when it cannot be used.</summary>
    public ListImportRow? Parse(IReadOnlyList<string?> cells, long rowNumber, DateOnly today, List<RowIssue> issues)
    {
        string? Cell(int field)
        {
            var c = _column[field];
            var v = c >= 0 && c < cells.Count ? cells[c]?.Trim() : null;
            return string.IsNullOrEmpty(v) ? null : v;
        }
        string? Required(int field)
        {
            var v = Cell(field);
            if (v is null)
            {
                var f = Fields[field];
                issues.Add(new RowIssue(f.Key, null, "required", $"{f.LabelZh}为必填项，不能为空", $"{f.LabelEn} is required and is empty"));
            }
            return v;
        }
        DateOnly? Date(int field, bool required)
        {
            var v = required ? Required(field) : Cell(field);
            if (v is null) return null;
            if (TryDate(v, out var d)) return d;
            var f = Fields[field];
            issues.Add(new RowIssue(f.Key, v, "bad_date", $"{f.LabelZh}“{v}”不是有效日期，请使用 yyyy-MM-dd 格式（如 2026-03-15）",
                $"{f.LabelEn} '{v}' is not a valid date; use yyyy-MM-dd (e.g. 2026-03-15)"));
            return null;
        }

        var name = Required(0);
        var code = Cell(1) is { } c1 ? Identifier.Normalize(c1) : null;
        var id = Cell(2) is { } c2 ? Identifier.Normalize(c2) : null;
        if (code is not null && !CreditCode.Validate(code).IsValid)
        {
            var check = CreditCode.Validate(code);
            issues.Add(new RowIssue("creditCode", code, "bad_code", $"统一社会信用代码“{code}”无效：{string.Join("；", check.Issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.MessageZh))}",
                $"Credit code '{code}' is invalid: {string.Join("; ", check.Issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.MessageEn))}"));
        }
        if (id is not null && !ResidentId.Validate(id, today).IsValid)
        {
            var check = ResidentId.Validate(id, today);
            issues.Add(new RowIssue("idNumber", Masking.MaskResidentId(id), "bad_code", $"身份证件号码无效：{string.Join("；", check.Issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.MessageZh))}",
                $"The ID number is invalid: {string.Join("; ", check.Issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.MessageEn))}"));
        }
        if (code is null && id is null)
        {
            issues.Add(new RowIssue("creditCode", null, "subject_code_missing", "须填写统一社会信用代码或身份证件号码之一；名单不按名称匹配主体",
                "Give the credit code or the ID number; subjects are never matched by name alone"));
        }
        var grounds = Required(3);
        var basis = Cell(5);
        if (basis is null)
        {
            issues.Add(new RowIssue("legalBasis", null, "legal-basis-required", "列入名单必须有法律、法规或党中央、国务院政策文件依据，请填写认定依据",
                "A listing needs a legal basis (law, regulation or central policy document); fill in the legal basis"));
        }
        var number = Required(6);
        var decided = Date(7, required: true);
        if (decided is { } dd && dd > today)
        {
            issues.Add(new RowIssue("decidedOn", dd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "future_date",
                $"决定日期晚于今天（{today:yyyy-MM-dd}）", $"The decision date is after today ({today:yyyy-MM-dd})"));
        }
        var from = Date(8, required: false);
        var until = Date(9, required: false);
        if (issues.Count > 0) return null;
        return new ListImportRow(rowNumber, name!, code, id, grounds!, Cell(4), basis!, number!, decided!.Value, from, until, Cell(10));
    }

    private static bool TryDate(string v, out DateOnly d)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy.M.d", "yyyy年M月d日"];
        if (DateOnly.TryParseExact(v, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out d)) return true;
        if (DateTime.TryParseExact(v, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            d = DateOnly.FromDateTime(t);
            return true;
        }
        return false;
    }

    private static string Key(string heading)
    {
        var s = ChineseText.ToHalfWidth(heading).Trim().Replace(" ", "", StringComparison.Ordinal);
        var star = s.IndexOf('*', StringComparison.Ordinal);
        return star >= 0 ? s.Remove(star, 1) : s;
    }
}
