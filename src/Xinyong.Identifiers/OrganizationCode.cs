using System.Diagnostics.CodeAnalysis;
using Xinyong.Identifiers.Internal;

namespace Xinyong.Identifiers;

/// <summary>
/// Organization code (组织机构代码), GB 11714-1997: eight body characters (0-9, A-Z) and a check character
/// (0-9 or X). Written with or without a hyphen before the check character; stored without it.
/// </summary>
public readonly record struct OrganizationCode
{
    public const int Length = 9;

    private static readonly int[] Weights = [3, 7, 9, 10, 5, 8, 4, 2];

    private readonly string? _value;

    private OrganizationCode(string value) => _value = value;

    /// <summary>The nine characters without hyphen, e.g. "600037341".</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The eight body characters.</summary>
    public string Body => Value.Length == Length ? Value[..8] : string.Empty;

    /// <summary>The check character (position 9).</summary>
    public char CheckChar => Value.Length == Length ? Value[8] : '\0';

    public static IdentifierCheck Validate(string? input)
    {
        var raw = input ?? string.Empty;
        var normalized = StripHyphen(Normalizer.Normalize(raw));
        var issues = new IssueCollector(collect: true);
        CheckCore(normalized, ref issues);
        return new IdentifierCheck(IdentifierKind.OrganizationCode, raw, normalized, !issues.HasError, issues.Issues);
    }

    public static bool TryParse([NotNullWhen(true)] string? input, out OrganizationCode code)
    {
        code = default;
        if (input is null)
        {
            return false;
        }

        var normalized = StripHyphen(Normalizer.Normalize(input));
        var issues = new IssueCollector(collect: false);
        if (!CheckCore(normalized, ref issues))
        {
            return false;
        }

        code = new OrganizationCode(normalized);
        return true;
    }

    public static OrganizationCode Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (TryParse(input, out var code))
        {
            return code;
        }

        throw new FormatException(Issues.FirstErrorEn(Validate(input)));
    }

    /// <summary>Computes the GB 11714 check character of an eight-character body.</summary>
    /// <exception cref="ArgumentException">The body is not eight characters of 0-9 and A-Z.</exception>
    public static char ComputeCheckChar(ReadOnlySpan<char> body8)
    {
        if (body8.Length != 8)
        {
            throw new ArgumentException("An organization code body has 8 characters.", nameof(body8));
        }

        var check = TryComputeCheckChar(body8);
        return check != '\0'
            ? check
            : throw new ArgumentException("An organization code body uses only 0-9 and A-Z.", nameof(body8));
    }

    /// <summary>Creates a code from an eight-character body, computing the check character.</summary>
    public static OrganizationCode Create(string body8)
    {
        ArgumentNullException.ThrowIfNull(body8);
        var check = ComputeCheckChar(body8);
        return new OrganizationCode(string.Concat(body8, check.ToString()));
    }

    public override string ToString() => Value;

    /// <summary>Value of a body character: 0-9 -> 0-9, A-Z -> 10-35, anything else -> -1.</summary>
    internal static int BodyValue(char c)
    {
        if ((uint)(c - '0') <= 9)
        {
            return c - '0';
        }

        return (uint)(c - 'A') <= 'Z' - 'A' ? c - 'A' + 10 : -1;
    }

    /// <summary>The check character, or '\0' when the body has an illegal character.</summary>
    internal static char TryComputeCheckChar(ReadOnlySpan<char> body8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var v = BodyValue(body8[i]);
            if (v < 0)
            {
                return '\0';
            }

            sum += v * Weights[i];
        }

        var c = 11 - (sum % 11);
        return c switch
        {
            10 => 'X',
            11 => '0',
            _ => (char)('0' + c),
        };
    }

    internal static bool CheckCore(ReadOnlySpan<char> s, ref IssueCollector issues)
    {
        if (s.Length == 0)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.EmptyInput(KindText.OrganizationCode));
            }

            return false;
        }

        if (s.Length != Length)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.WrongLength(KindText.OrganizationCode, "9", "9", s.Length));
            }

            return false;
        }

        var bodyLegal = true;
        for (var i = 0; i < 8; i++)
        {
            if (BodyValue(s[i]) < 0)
            {
                if (!issues.Collect)
                {
                    return false;
                }

                bodyLegal = false;
                issues.Add(Issues.Illegal(i + 1, s[i], "组织机构代码本体只能是数字或大写字母", "the body of an organization code uses only digits and upper-case letters"));
            }
        }

        var actual = s[8];
        if (!char.IsAsciiDigit(actual) && actual != 'X')
        {
            if (!issues.Collect)
            {
                return false;
            }

            issues.Add(Issues.Illegal(9, actual, "校验码只能是数字或X", "the check character is a digit or X"));
        }

        if (bodyLegal)
        {
            var expected = TryComputeCheckChar(s[..8]);
            if (expected != actual)
            {
                if (!issues.Collect)
                {
                    return false;
                }

                issues.Add(Issues.WrongCheck(9, expected, actual));
            }
        }

        return !issues.HasError;
    }

    /// <summary>"XXXXXXXX-X" becomes "XXXXXXXXX"; anything else is returned unchanged.</summary>
    internal static string StripHyphen(string normalized) =>
        normalized.Length == Length + 1 && normalized[8] == '-'
            ? string.Concat(normalized.AsSpan(0, 8), normalized.AsSpan(9, 1))
            : normalized;
}
