using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Xinyong.Identifiers.Internal;

namespace Xinyong.Identifiers;

/// <summary>
/// Citizen identity number (公民身份号码), GB 11643-1999: division code (1-6), date of birth (7-14),
/// sequence (15-17, odd for men) and an ISO 7064 MOD 11-2 check character (18, 0-9 or X).
/// Never shown unmasked to the public: use <see cref="Mask"/>.
/// </summary>
public readonly record struct ResidentId
{
    public const int Length = 18;

    /// <summary>Birth dates before this day are rejected.</summary>
    public static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    // 2^(17-i) mod 11 for positions 1-17.
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    private const string CheckChars = "10X98765432";

    private readonly string? _value;

    private ResidentId(string value) => _value = value;

    public string Value => _value ?? string.Empty;

    /// <summary>Positions 1-6: division code of the place of first registration.</summary>
    public string DivisionCode => IsSet ? Value[..6] : string.Empty;

    /// <summary>Positions 7-14.</summary>
    public DateOnly DateOfBirth => IsSet && TryReadDate(Value.AsSpan(6, 8), out var date) ? date : default;

    /// <summary>The 17th digit is odd for men and even for women.</summary>
    public bool IsMale => IsSet && (Value[16] - '0') % 2 == 1;

    /// <summary>Position 18.</summary>
    public char CheckChar => IsSet ? Value[17] : '\0';

    private bool IsSet => Value.Length == Length;

    /// <summary>Checks a number. With <paramref name="today"/> a birth date after it is an error too.</summary>
    public static IdentifierCheck Validate(string? input, DateOnly? today = null)
    {
        var raw = input ?? string.Empty;
        var normalized = Normalizer.Normalize(raw);
        var issues = new IssueCollector(collect: true);
        CheckCore(normalized, today, ref issues);
        return new IdentifierCheck(IdentifierKind.ResidentId, raw, normalized, !issues.HasError, issues.Issues);
    }

    public static bool TryParse([NotNullWhen(true)] string? input, out ResidentId id)
    {
        id = default;
        if (input is null)
        {
            return false;
        }

        var normalized = Normalizer.Normalize(input);
        var issues = new IssueCollector(collect: false);
        if (!CheckCore(normalized, null, ref issues))
        {
            return false;
        }

        id = new ResidentId(normalized);
        return true;
    }

    /// <exception cref="FormatException">The number has an error; the message is the first error in English.</exception>
    public static ResidentId Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (TryParse(input, out var id))
        {
            return id;
        }

        throw new FormatException(Issues.FirstErrorEn(Validate(input)));
    }

    /// <summary>ISO 7064 MOD 11-2 check character of the first 17 digits.</summary>
    /// <exception cref="ArgumentException">Not 17 digits.</exception>
    public static char ComputeCheckChar(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("The first part of a resident identity number has 17 digits.", nameof(first17));
        }

        foreach (var c in first17)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException("The first 17 characters of a resident identity number are digits.", nameof(first17));
            }
        }

        return CheckCharOf(first17);
    }

    /// <summary>Builds a number; <paramref name="sequence3"/> (0-999) is odd for men.</summary>
    public static ResidentId Create(string division6, DateOnly birth, int sequence3)
    {
        ArgumentNullException.ThrowIfNull(division6);
        if (division6.Length != 6 || !IsAllDigits(division6))
        {
            throw new ArgumentException("A division code has 6 digits.", nameof(division6));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence3, 999);
        if (birth < EarliestBirthDate)
        {
            throw new ArgumentOutOfRangeException(nameof(birth), "Birth dates before 1900-01-01 are not valid.");
        }

        Span<char> buffer = stackalloc char[Length];
        division6.AsSpan().CopyTo(buffer);
        birth.TryFormat(buffer[6..], out _, "yyyyMMdd", CultureInfo.InvariantCulture);
        sequence3.TryFormat(buffer[14..], out _, "D3", CultureInfo.InvariantCulture);
        buffer[17] = CheckCharOf(buffer[..17]);
        return new ResidentId(new string(buffer));
    }

    /// <summary>First 4 and last 2 characters kept, e.g. "1101************2X".</summary>
    public string Mask() => Masking.MaskResidentId(Value);

    /// <summary>The value itself: mask it before it reaches the public.</summary>
    public override string ToString() => Value;

    private static char CheckCharOf(ReadOnlySpan<char> digits17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (digits17[i] - '0') * Weights[i];
        }

        return CheckChars[sum % 11];
    }

    internal static bool HasValidChecksum(ReadOnlySpan<char> s)
    {
        if (s.Length != Length)
        {
            return false;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        return CheckCharOf(s[..17]) == s[17];
    }

    internal static bool TryReadDate(ReadOnlySpan<char> yyyyMMdd, out DateOnly date)
    {
        date = default;
        if (yyyyMMdd.Length != 8 || !IsAllDigits(yyyyMMdd))
        {
            return false;
        }

        var year = ((yyyyMMdd[0] - '0') * 1000) + ((yyyyMMdd[1] - '0') * 100) + ((yyyyMMdd[2] - '0') * 10) + (yyyyMMdd[3] - '0');
        var month = ((yyyyMMdd[4] - '0') * 10) + (yyyyMMdd[5] - '0');
        var day = ((yyyyMMdd[6] - '0') * 10) + (yyyyMMdd[7] - '0');
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    internal static bool CheckCore(ReadOnlySpan<char> s, DateOnly? today, ref IssueCollector issues)
    {
        if (s.Length == 0)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.EmptyInput(KindText.ResidentId));
            }

            return false;
        }

        if (s.Length == 15 && IsAllDigits(s))
        {
            if (issues.Collect)
            {
                issues.Add(Issues.OldFifteenDigitId());
            }

            return false;
        }

        if (s.Length != Length)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.WrongLength(KindText.ResidentId, "18", "18", s.Length));
            }

            return false;
        }

        var first17Digits = true;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                if (!issues.Collect)
                {
                    return false;
                }

                first17Digits = false;
                issues.Add(Issues.Illegal(i + 1, s[i], "第1-17位只能是数字", "positions 1-17 are digits only"));
            }
        }

        if (!char.IsAsciiDigit(s[17]) && s[17] != 'X')
        {
            if (!issues.Collect)
            {
                return false;
            }

            issues.Add(Issues.Illegal(18, s[17], "校验码只能是数字或X", "the check character is a digit or X"));
        }

        var dateDigits = s.Slice(6, 8);
        if (IsAllDigits(dateDigits) && !CheckBirthDate(dateDigits, today, ref issues))
        {
            return false;
        }

        if (first17Digits)
        {
            var expected = CheckCharOf(s[..17]);
            if (expected != s[17])
            {
                if (!issues.Collect)
                {
                    return false;
                }

                issues.Add(Issues.WrongCheck(18, expected, s[17]));
            }
        }

        if (issues.Collect && IsAllDigits(s[..6]) && !DivisionCodes.IsKnown(s[..6]))
        {
            issues.Add(Issues.UnknownDivisionCode(1, s[..6]));
        }

        return !issues.HasError;
    }

    /// <summary>False only when not collecting and the date is wrong (stop at once).</summary>
    private static bool CheckBirthDate(ReadOnlySpan<char> digits, DateOnly? today, ref IssueCollector issues)
    {
        IdentifierIssue? issue = null;
        if (!TryReadDate(digits, out var date))
        {
            if (!issues.Collect)
            {
                return false;
            }

            issue = Issues.InvalidBirthDate(digits);
        }
        else if (date < EarliestBirthDate)
        {
            if (!issues.Collect)
            {
                return false;
            }

            issue = Issues.BirthDateTooEarly(date, EarliestBirthDate);
        }
        else if (today is { } t && date > t)
        {
            if (!issues.Collect)
            {
                return false;
            }

            issue = Issues.BirthDateInFuture(date, t);
        }

        if (issue is not null)
        {
            issues.Add(issue);
        }

        return true;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
