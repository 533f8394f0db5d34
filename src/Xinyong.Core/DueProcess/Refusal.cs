namespace Xinyong.Core.DueProcess;

/// <summary>Why a refusal happened, for the HTTP status: not allowed for this person, wrong state, bad input, too early.</summary>
public enum RefusalKind
{
    Forbidden,
    Conflict,
    Invalid,
    TooEarly,
}

/// <summary>
/// A due-process step refused by the rules: a stable code, the reason in Chinese and English, and its kind.
/// Thrown by the state machines; callers show the reason to the person who tried.
/// </summary>
public sealed class RefusedException(string code, string zh, string en, RefusalKind kind) : InvalidOperationException(en)
{
    public string Code { get; } = code;
    public string Zh { get; } = zh;
    public string En { get; } = en;
    public RefusalKind Kind { get; } = kind;
}

/// <summary>
/// The person who handles a case: the credit office sees and may act on every case; a department handles only cases
/// about records it provided (谁认定谁修复).
/// </summary>
public sealed record Handler(string Name, long? DepartmentId, bool CreditOffice)
{
    public static Handler ForCreditOffice(string name) => new(name, null, true);

    public static Handler ForDepartment(string name, long departmentId) => new(name, departmentId, false);

    public bool MayHandle(long departmentId) => CreditOffice || DepartmentId == departmentId;

    internal void EnsureMayHandle(long departmentId)
    {
        if (!MayHandle(departmentId))
        {
            throw new RefusedException("not_your_department",
                "谁认定谁修复：该记录由其他单位认定，只有认定单位（或市信用办）可以办理",
                "Whoever made the finding decides: this record was provided by another department; only that department (or the credit office) may handle it",
                RefusalKind.Forbidden);
        }
    }

    internal static string RequireText(string? value, string code, string zh, string en)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new RefusedException(code, zh, en, RefusalKind.Invalid);
        return value.Trim();
    }
}
