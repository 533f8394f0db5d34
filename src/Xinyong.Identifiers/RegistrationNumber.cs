using System.Diagnostics.CodeAnalysis;
using Xinyong.Identifiers.Internal;

namespace Xinyong.Identifiers;

/// <summary>
/// Fifteen-digit business registration number (工商注册号), GS 15-2006: the registering authority's division
/// code (1-6), a sequence (7-14) and an ISO 7064 MOD 11,10 check digit (15).
/// </summary>
public readonly record struct RegistrationNumber
{
    public const int Length = 15;

    private readonly string? _value;

    private RegistrationNumber(string value) => _value = value;

    public string Value => _value ?? string.Empty;

    /// <summary>Positions 1-6: division code of the registering authority.</summary>
    public string DivisionCode => Value.Length == Length ? Value[..6] : string.Empty;

    /// <summary>Position 15: check digit.</summary>
    public char CheckDigit => Value.Length == Length ? Value[14] : '\0';

    public static IdentifierCheck Validate(string? input)
    {
        var raw = input ?? string.Empty;
        var normalized = Normalizer.Normalize(raw);
        var issues = new IssueCollector(collect: true);
        CheckCore(normalized, ref issues);
        return new IdentifierCheck(IdentifierKind.RegistrationNumber, raw, normalized, !issues.HasError, issues.Issues);
    }

    public static bool TryParse([NotNullWhen(true)] string? input, out RegistrationNumber number)
    {
        number = default;
        if (input is null)
        {
            return false;
        }

        var normalized = Normalizer.Normalize(input);
        var issues = new IssueCollector(collect: false);
        if (!CheckCore(normalized, ref issues))
        {
            return false;
        }

        number = new RegistrationNumber(normalized);
        return true;
    }

    /// <exception cref="FormatException">The number has an error; the message is the first error in English.</exception>
    public static RegistrationNumber Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (TryParse(input, out var number))
        {
            return number;
        }

        throw new FormatException(Issues.FirstErrorEn(Validate(input)));
    }

    /// <summary>ISO 7064 MOD 11,10 check digit of the first 14 digits.</summary>
    /// <exception cref="ArgumentException">Not 14 digits.</exception>
    public static char ComputeCheckDigit(ReadOnlySpan<char> first14)
    {
        if (first14.Length != 14)
        {
            throw new ArgumentException("The first part of a registration number has 14 digits.", nameof(first14));
        }

        foreach (var c in first14)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException("A registration number has digits only.", nameof(first14));
            }
        }

        return CheckDigitOf(first14);
    }

    /// <summary>Creates a number from its first 14 digits, computing the check digit.</summary>
    public static RegistrationNumber Create(string first14)
    {
        ArgumentNullException.ThrowIfNull(first14);
        var check = ComputeCheckDigit(first14);
        return new RegistrationNumber(string.Concat(first14, check.ToString()));
    }

    public override string ToString() => Value;

    private static char CheckDigitOf(ReadOnlySpan<char> digits14)
    {
        var p = 10;
        for (var i = 0; i < 14; i++)
        {
            var s = (p + (digits14[i] - '0')) % 10;
            if (s == 0)
            {
                s = 10;
            }

            p = s * 2 % 11;
        }

        return (char)('0' + ((11 - p) % 10));
    }

    internal static bool CheckCore(ReadOnlySpan<char> s, ref IssueCollector issues)
    {
        if (s.Length == 0)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.EmptyInput(KindText.RegistrationNumber));
            }

            return false;
        }

        if (s.Length != Length)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.WrongLength(KindText.RegistrationNumber, "15", "15", s.Length));
            }

            return false;
        }

        var prefixDigits = true;
        for (var i = 0; i < Length; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                if (!issues.Collect)
                {
                    return false;
                }

                prefixDigits &= i == 14;
                issues.Add(Issues.Illegal(i + 1, s[i], "注册号只能是数字", "a registration number has digits only"));
            }
        }

        if (prefixDigits)
        {
            var expected = CheckDigitOf(s[..14]);
            if (expected != s[14])
            {
                if (!issues.Collect)
                {
                    return false;
                }

                issues.Add(Issues.WrongCheck(15, expected, s[14]));
            }
        }

        // 100000 is the national registering authority (国家工商总局), not a division.
        if (issues.Collect && !s.StartsWith("100000") && !DivisionCodes.IsKnown(s[..6]))
        {
            issues.Add(Issues.UnknownDivisionCode(1, s[..6]));
        }

        return !issues.HasError;
    }
}
