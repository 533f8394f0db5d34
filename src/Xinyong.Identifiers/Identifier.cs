using Xinyong.Identifiers.Internal;

namespace Xinyong.Identifiers;

/// <summary>Entry point for an identifier of unknown kind, e.g. a cell of an imported spreadsheet.</summary>
public static class Identifier
{
    /// <summary>
    /// Removes all white space (also inside and full-width), maps full-width characters (０-９, Ａ-Ｚ, －) to
    /// ASCII, maps dash variants to '-', and upper-cases. Null becomes empty.
    /// </summary>
    public static string Normalize(string? input) => input is null ? string.Empty : Normalizer.Normalize(input);

    /// <summary>
    /// Guesses the kind from the normalized length and shape: 18 characters -> credit code, or resident ID when
    /// the shape fits (17 digits + digit/X with a real date of birth) and the GB 11643 checksum holds, or when
    /// neither checksum holds; 9 characters or "XXXXXXXX-X" -> organization code; 15 -> registration number.
    /// </summary>
    public static IdentifierKind Detect(string? input) => input is null ? IdentifierKind.Unknown : DetectNormalized(Normalizer.Normalize(input));

    /// <summary>Detects the kind and validates as that kind. An unknown kind gives one error.</summary>
    public static IdentifierCheck Check(string? input) => Check(input, null);

    /// <summary>As <see cref="Check(string?)"/>; <paramref name="today"/> also rejects birth dates in the future.</summary>
    public static IdentifierCheck Check(string? input, DateOnly? today)
    {
        var raw = input ?? string.Empty;
        var normalized = Normalizer.Normalize(raw);
        switch (DetectNormalized(normalized))
        {
            case IdentifierKind.CreditCode:
                return CreditCode.Validate(raw);
            case IdentifierKind.OrganizationCode:
                return OrganizationCode.Validate(raw);
            case IdentifierKind.RegistrationNumber:
                return RegistrationNumber.Validate(raw);
            case IdentifierKind.ResidentId:
                return ResidentId.Validate(raw, today);
            default:
                var issue = normalized.Length == 0
                    ? new IdentifierIssue(IssueSeverity.Error, Issues.Empty, null, "代码为空", "the identifier is empty")
                    : Issues.UnrecognizedKind(normalized.Length);
                return new IdentifierCheck(IdentifierKind.Unknown, raw, normalized, false, [issue]);
        }
    }

    private static IdentifierKind DetectNormalized(string s)
    {
        switch (s.Length)
        {
            case 18:
                return LooksLikeResidentId(s) ? IdentifierKind.ResidentId : IdentifierKind.CreditCode;
            case 9:
                return IdentifierKind.OrganizationCode;
            case 10 when s[8] == '-':
                return IdentifierKind.OrganizationCode;
            case 15:
                return IdentifierKind.RegistrationNumber;
            default:
                return IdentifierKind.Unknown;
        }
    }

    /// <summary>
    /// An 18-character string of 17 digits and a digit or X can be either kind (a credit code may be all
    /// digits). A plausible birth date and the GB 11643 checksum decide; when neither checksum holds, the
    /// shape decides, so that a mistyped ID number gets ID-number messages.
    /// </summary>
    private static bool LooksLikeResidentId(string s)
    {
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        if (!char.IsAsciiDigit(s[17]) && s[17] != 'X')
        {
            return false;
        }

        if (s[0] is < '1' or > '8'
            || !ResidentId.TryReadDate(s.AsSpan(6, 8), out var birth)
            || birth < ResidentId.EarliestBirthDate
            || birth.Year > 2199)
        {
            return false;
        }

        if (ResidentId.HasValidChecksum(s))
        {
            return true;
        }

        var issues = new IssueCollector(collect: false);
        return !CreditCode.CheckCore(s, ref issues);
    }
}
