using System.Globalization;

namespace Xinyong.Identifiers.Internal;

/// <summary>Names of the identifier kinds as they appear in messages.</summary>
internal sealed record KindText(string Zh, string En)
{
    public static readonly KindText CreditCode = new("统一社会信用代码", "unified social credit code");
    public static readonly KindText OrganizationCode = new("组织机构代码", "organization code");
    public static readonly KindText RegistrationNumber = new("注册号", "registration number");
    public static readonly KindText ResidentId = new("公民身份号码", "resident identity number");
}

/// <summary>Builds the bilingual issues. Only called on the collecting (Validate) path.</summary>
internal static class Issues
{
    public const string Empty = "empty";
    public const string Length = "length";
    public const string IllegalChar = "illegal_char";
    public const string OrgCheck = "org_check";
    public const string CheckChar = "check_char";
    public const string OldFormat = "old_format";
    public const string BirthDate = "birth_date";
    public const string UnknownDepartmentCategory = "unknown_department_category";
    public const string UnknownDivision = "unknown_division";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IdentifierIssue EmptyInput(KindText kind) => new(
        IssueSeverity.Error,
        Empty,
        null,
        $"{kind.Zh}为空",
        $"the {kind.En} is empty");

    public static IdentifierIssue WrongLength(KindText kind, string expectedZh, string expectedEn, int actual) => new(
        IssueSeverity.Error,
        Length,
        null,
        string.Create(Inv, $"{kind.Zh}应为{expectedZh}位，实为{actual}位"),
        string.Create(Inv, $"a {kind.En} must have {expectedEn} characters but has {actual}"));

    public static IdentifierIssue Illegal(int position, char c, string ruleZh, string ruleEn) => new(
        IssueSeverity.Error,
        IllegalChar,
        position,
        string.Create(Inv, $"第{position}位字符“{Show(c)}”不合法：{ruleZh}"),
        string.Create(Inv, $"character '{Show(c)}' at position {position} is not allowed: {ruleEn}"));

    public static IdentifierIssue WrongCheck(int position, char expected, char actual) => new(
        IssueSeverity.Error,
        CheckChar,
        position,
        string.Create(Inv, $"第{position}位校验码应为“{expected}”，实为“{Show(actual)}”"),
        string.Create(Inv, $"check character at position {position} should be '{expected}' but is '{Show(actual)}'"));

    public static IdentifierIssue WrongOrgCheck(ReadOnlySpan<char> org, char expected, char actual) => new(
        IssueSeverity.Error,
        OrgCheck,
        17,
        $"第9-17位组织机构代码“{org}”未通过GB 11714校验：第17位应为“{expected}”，实为“{Show(actual)}”",
        $"the organization code '{org}' at positions 9-17 fails the GB 11714 check: position 17 should be '{expected}' but is '{Show(actual)}'");

    public static IdentifierIssue UnknownDepartment(char department) => new(
        IssueSeverity.Warning,
        UnknownDepartmentCategory,
        1,
        $"第1位登记管理部门代码“{department}”不在已知代码表中",
        $"registering department code '{department}' at position 1 is not in the known table");

    public static IdentifierIssue UnknownCategory(char department, string departmentZh, char category) => new(
        IssueSeverity.Warning,
        UnknownDepartmentCategory,
        2,
        $"第2位机构类别代码“{category}”不是登记管理部门“{department} {departmentZh}”的已知类别",
        $"organization category '{category}' at position 2 is not a known category of registering department '{department}'");

    public static IdentifierIssue UnknownDivisionCode(int position, ReadOnlySpan<char> code) => new(
        IssueSeverity.Warning,
        UnknownDivision,
        position,
        string.Create(Inv, $"第{position}-{position + 5}位行政区划代码“{code}”不在GB/T 2260代码表中（可能是已撤销的历史代码）"),
        string.Create(Inv, $"division code '{code}' at positions {position}-{position + 5} is not in the GB/T 2260 table (it may be an abolished historical code)"));

    public static IdentifierIssue OldFifteenDigitId() => new(
        IssueSeverity.Error,
        OldFormat,
        null,
        "这是15位旧版身份证号码，请转换为18位",
        "old 15-digit format, convert to 18 digits");

    public static IdentifierIssue InvalidBirthDate(ReadOnlySpan<char> digits) => new(
        IssueSeverity.Error,
        BirthDate,
        7,
        $"第7-14位出生日期“{digits}”不是有效日期",
        $"date of birth '{digits}' at positions 7-14 is not a valid date");

    public static IdentifierIssue BirthDateTooEarly(DateOnly date, DateOnly earliest) => new(
        IssueSeverity.Error,
        BirthDate,
        7,
        string.Create(Inv, $"出生日期{date:yyyy-MM-dd}早于{earliest:yyyy-MM-dd}"),
        string.Create(Inv, $"date of birth {date:yyyy-MM-dd} is before {earliest:yyyy-MM-dd}"));

    public static IdentifierIssue BirthDateInFuture(DateOnly date, DateOnly today) => new(
        IssueSeverity.Error,
        BirthDate,
        7,
        string.Create(Inv, $"出生日期{date:yyyy-MM-dd}晚于当前日期{today:yyyy-MM-dd}"),
        string.Create(Inv, $"date of birth {date:yyyy-MM-dd} is after today ({today:yyyy-MM-dd})"));

    public static IdentifierIssue UnrecognizedKind(int length) => new(
        IssueSeverity.Error,
        Length,
        null,
        string.Create(Inv, $"无法识别的代码（{length}位）：支持18位统一社会信用代码或公民身份号码、9位组织机构代码（也可写作XXXXXXXX-X）、15位注册号"),
        string.Create(Inv, $"unrecognized identifier of {length} characters: accepted are 18 (unified social credit code or resident identity number), 9 (organization code, also written XXXXXXXX-X) or 15 (registration number)"));

    /// <summary>English message of the first error, for exceptions.</summary>
    public static string FirstErrorEn(IdentifierCheck check)
    {
        foreach (var issue in check.Issues)
        {
            if (issue.Severity == IssueSeverity.Error)
            {
                return issue.MessageEn;
            }
        }

        return "invalid identifier";
    }

    /// <summary>Makes invisible or control characters readable in a message.</summary>
    private static string Show(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c is '\u200B' or '\uFEFF'
            ? string.Create(Inv, $"U+{(int)c:X4}")
            : c.ToString();
}
