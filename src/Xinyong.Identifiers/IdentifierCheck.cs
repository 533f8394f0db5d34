namespace Xinyong.Identifiers;

/// <summary>How serious a finding is: an error makes the identifier invalid, a warning does not.</summary>
public enum IssueSeverity
{
    Error,
    Warning,
}

/// <summary>One finding about an identifier.</summary>
/// <param name="Severity">Error (invalid) or warning (valid, but worth a look).</param>
/// <param name="Code">Stable machine code: empty, length, illegal_char, org_check, check_char, old_format,
/// birth_date, unknown_department_category, unknown_division.</param>
/// <param name="Position">1-based character position in the normalized identifier, where one applies.</param>
/// <param name="MessageZh">Message for users, in Chinese.</param>
/// <param name="MessageEn">Message for users, in English.</param>
public sealed record IdentifierIssue(IssueSeverity Severity, string Code, int? Position, string MessageZh, string MessageEn);

/// <summary>The kinds of identifier this library knows.</summary>
public enum IdentifierKind
{
    Unknown,
    CreditCode,
    OrganizationCode,
    RegistrationNumber,
    ResidentId,
}

/// <summary>The result of checking one identifier.</summary>
/// <param name="Kind">The kind it was checked as.</param>
/// <param name="Input">The input as given (null becomes empty).</param>
/// <param name="Normalized">The canonical form (see <see cref="Identifier.Normalize"/>; organization codes
/// also lose the hyphen before the check character).</param>
/// <param name="IsValid">True when there is no error; warnings are allowed.</param>
/// <param name="Issues">Errors and warnings in position order per check.</param>
public sealed record IdentifierCheck(
    IdentifierKind Kind,
    string Input,
    string Normalized,
    bool IsValid,
    IReadOnlyList<IdentifierIssue> Issues);
