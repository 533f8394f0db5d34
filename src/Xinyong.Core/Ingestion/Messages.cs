using System.Globalization;
using Xinyong.Core.Catalogue;
using Xinyong.Identifiers;

namespace Xinyong.Core.Ingestion;

/// <summary>
/// The wording of every row-level rejection, in Chinese and English. Each message names the field, the value
/// and what the clerk should do; the code is stable for statistics.
/// </summary>
public static class Messages
{
    private static string Zh(FieldDefinition f) => $"{f.Name}（{f.LabelZh}）";
    private static string En(FieldDefinition f) => $"{f.Name} ({f.LabelEn})";

    public static RowIssue Required(FieldDefinition f) => new(f.Name, null, "required",
        $"{Zh(f)}为必填项，不能为空", $"{En(f)} is required and is empty");

    public static RowIssue TooLong(FieldDefinition f, string value, int max) => new(f.Name, value, "too_long",
        $"{Zh(f)}长度为 {value.Length} 个字符，超过上限 {max}", $"{En(f)} is {value.Length} characters long; the limit is {max}");

    public static RowIssue BadDate(FieldDefinition f, string value) => new(f.Name, value, "bad_date",
        $"{Zh(f)}“{value}”不是有效日期，请使用 yyyy-MM-dd 格式（如 2024-03-15）",
        $"{En(f)} '{value}' is not a valid date; use yyyy-MM-dd (e.g. 2024-03-15)");

    public static RowIssue FutureDate(FieldDefinition f, string value, DateOnly today) => new(f.Name, value, "future_date",
        $"{Zh(f)}“{value}”晚于今天（{today:yyyy-MM-dd}），决定日期不能是将来的日期",
        $"{En(f)} '{value}' is after today ({today:yyyy-MM-dd}); a decision date cannot be in the future");

    public static RowIssue BadEnum(FieldDefinition f, string value)
    {
        var allowed = f.Values is null ? "" : string.Join("、", f.Values.Keys);
        var allowedEn = f.Values is null ? "" : string.Join(", ", f.Values.Keys);
        return new(f.Name, value, "bad_enum",
            $"{Zh(f)}“{value}”不是允许的取值，应为：{allowed}",
            $"{En(f)} '{value}' is not an allowed value; use one of: {allowedEn}");
    }

    public static RowIssue BadCode(FieldDefinition f, string value, IdentifierCheck check)
    {
        var errors = check.Issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
        return new(f.Name, value, "bad_code",
            $"{Zh(f)}“{value}”无效：{string.Join("；", errors.Select(e => e.MessageZh))}",
            $"{En(f)} '{value}' is invalid: {string.Join("; ", errors.Select(e => e.MessageEn))}");
    }

    public static RowIssue AmountInYuan(FieldDefinition f, string value) => new(f.Name, value, "wrong_unit",
        $"{Zh(f)}“{value}”带有单位“元”；本字段单位为{f.Unit}，请填写数字，如 5000 元应填 0.5",
        $"{En(f)} '{value}' is given in yuan; this field is in {f.Unit} (10,000 yuan): enter a number, e.g. 5000 yuan = 0.5");

    public static RowIssue BadNumber(FieldDefinition f, string value) => new(f.Name, value, "bad_number",
        $"{Zh(f)}“{value}”不是有效数字（单位：{f.Unit}）", $"{En(f)} '{value}' is not a valid number (unit: {f.Unit})");

    public static RowIssue AmountBelow(FieldDefinition f, string value, decimal min) => new(f.Name, value, "amount_negative",
        $"{Zh(f)}“{value}”不能小于 {min.ToString(CultureInfo.InvariantCulture)}", $"{En(f)} '{value}' cannot be less than {min.ToString(CultureInfo.InvariantCulture)}");

    public static RowIssue AmountImplausible(FieldDefinition f, string value, decimal max) => new(f.Name, value, "wrong_unit",
        $"{Zh(f)}“{value}”超过合理上限 {max.ToString(CultureInfo.InvariantCulture)} {f.Unit}；本字段单位为{f.Unit}，如填写的是元，请除以 10000",
        $"{En(f)} '{value}' exceeds the plausible maximum of {max.ToString(CultureInfo.InvariantCulture)} ({f.Unit}); the unit is 10,000 yuan: if you entered yuan, divide by 10,000");

    public static RowIssue TooManyDecimals(FieldDefinition f, string value, int scale) => new(f.Name, value, "too_many_decimals",
        $"{Zh(f)}“{value}”小数位超过 {scale} 位", $"{En(f)} '{value}' has more than {scale} decimal places");

    public static RowIssue RequiredWhen(FieldDefinition f, FieldDefinition when, RuleDefinition rule)
    {
        var cond = rule.Contains ?? rule.EqualsValue ?? rule.NotEquals ?? "";
        return new(f.Name, null, "required",
            $"{Zh(f)}为必填项：{when.Name}（{when.LabelZh}）为“{cond}”时必须填写",
            $"{En(f)} is required when {when.Name} ({when.LabelEn}) is '{cond}'");
    }

    public static RowIssue AnyOf(IReadOnlyList<FieldDefinition> fields) => new(fields[0].Name, null, "subject_code_missing",
        $"法人及非法人组织、个体工商户须至少填写一个代码：{string.Join("、", fields.Select(Zh))}",
        $"A legal person or individual business needs at least one code: {string.Join(", ", fields.Select(En))}");

    public static RowIssue DateBefore(FieldDefinition f, string a, FieldDefinition other, string b) => new(f.Name, a, "date_order",
        $"{Zh(f)}“{a}”早于{other.Name}（{other.LabelZh}）“{b}”", $"{En(f)} '{a}' is before {other.Name} ({other.LabelEn}) '{b}'");

    public static RowIssue DuplicateInFile(string keyField, string? value, long firstRow, bool identical) => identical
        ? new(keyField, value, "duplicate_in_file",
            $"与本文件第 {firstRow} 行重复（同一决定书文号和决定机关），本行未重复入库",
            $"Duplicate of row {firstRow} in this file (same decision number and authority); this row was not stored again")
        : new(keyField, value, "conflict_in_file",
            $"与本文件第 {firstRow} 行的决定书文号和决定机关相同但内容不同，无法判断以哪行为准，请核实后重新报送",
            $"Same decision number and authority as row {firstRow} in this file but different content; check which is right and resubmit");
}
