using System.Diagnostics.CodeAnalysis;
using Xinyong.Identifiers.Internal;

namespace Xinyong.Identifiers;

/// <summary>
/// Unified social credit code (统一社会信用代码), GB 32100-2015. Eighteen characters from
/// <see cref="Alphabet"/>: registering department (1), organization category (2), GB/T 2260 division of the
/// registering authority (3-8), GB 11714 organization code with its own check character (9-17) and a
/// MOD 31 check character (18).
/// </summary>
public readonly record struct CreditCode
{
    public const int Length = 18;

    /// <summary>The 31 characters of the code; the index is the character's value. No I, O, Z, S, V.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    // 3^(i-1) mod 31 for positions 1-17.
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private static readonly sbyte[] Values = BuildValues();

    private readonly string? _value;

    private CreditCode(string value) => _value = value;

    public string Value => _value ?? string.Empty;

    /// <summary>Position 1: registering department code.</summary>
    public char RegisteringDepartment => CharAt(0);

    /// <summary>Position 2: organization category code.</summary>
    public char Category => CharAt(1);

    /// <summary>Positions 3-8: GB/T 2260 division code of the registering authority.</summary>
    public string DivisionCode => IsSet ? Value.Substring(2, 6) : string.Empty;

    /// <summary>Positions 9-17: the embedded GB 11714 organization code.</summary>
    public OrganizationCode OrganizationCode =>
        IsSet && OrganizationCode.TryParse(Value.Substring(8, 9), out var org) ? org : default;

    /// <summary>Position 18: check character.</summary>
    public char CheckChar => CharAt(17);

    /// <summary>Chinese name of the registering department, e.g. 市场监管（工商）; null when unknown.</summary>
    public string? RegisteringDepartmentName => IsSet ? CreditCodeCategories.DepartmentName(RegisteringDepartment) : null;

    /// <summary>Chinese name of the organization category, e.g. 企业; null for an unknown pair.</summary>
    public string? CategoryName => IsSet ? CreditCodeCategories.CategoryName(RegisteringDepartment, Category) : null;

    public SubjectCategory SubjectCategory
    {
        get
        {
            if (CategoryName is null)
            {
                return SubjectCategory.Unknown;
            }

            return RegisteringDepartment == '9' && Category == '2'
                ? SubjectCategory.IndividualBusiness
                : SubjectCategory.LegalPerson;
        }
    }

    private bool IsSet => Value.Length == Length;

    public static IdentifierCheck Validate(string? input)
    {
        var raw = input ?? string.Empty;
        var normalized = Normalizer.Normalize(raw);
        var issues = new IssueCollector(collect: true);
        CheckCore(normalized, ref issues);
        return new IdentifierCheck(IdentifierKind.CreditCode, raw, normalized, !issues.HasError, issues.Issues);
    }

    /// <summary>True when the code has no error (warnings such as an unknown division are allowed).</summary>
    public static bool TryParse([NotNullWhen(true)] string? input, out CreditCode code)
    {
        code = default;
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

        code = new CreditCode(normalized);
        return true;
    }

    /// <exception cref="FormatException">The code has an error; the message is the first error in English.</exception>
    public static CreditCode Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (TryParse(input, out var code))
        {
            return code;
        }

        throw new FormatException(Issues.FirstErrorEn(Validate(input)));
    }

    /// <summary>Computes the check character (position 18) of the first 17 characters.</summary>
    /// <exception cref="ArgumentException">Not 17 characters of <see cref="Alphabet"/>.</exception>
    public static char ComputeCheckChar(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("The first part of a credit code has 17 characters.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = CharValue(first17[i]);
            if (v < 0)
            {
                throw new ArgumentException(
                    $"Character '{first17[i]}' at position {i + 1} is not in the credit code alphabet.",
                    nameof(first17));
            }

            sum += v * Weights[i];
        }

        return CheckFromSum(sum);
    }

    /// <summary>Builds a code from its parts and computes the check character.</summary>
    /// <exception cref="ArgumentException">A part is missing or uses a character outside <see cref="Alphabet"/>.</exception>
    public static CreditCode Create(char department, char category, string divisionCode, OrganizationCode org)
    {
        ArgumentNullException.ThrowIfNull(divisionCode);
        if (divisionCode.Length != 6)
        {
            throw new ArgumentException("A division code has 6 digits.", nameof(divisionCode));
        }

        if (org.Value.Length != OrganizationCode.Length)
        {
            throw new ArgumentException("The organization code is empty.", nameof(org));
        }

        Span<char> buffer = stackalloc char[Length];
        buffer[0] = department;
        buffer[1] = category;
        divisionCode.AsSpan().CopyTo(buffer[2..]);
        org.Value.AsSpan().CopyTo(buffer[8..]);
        buffer[17] = ComputeCheckChar(buffer[..17]);
        return new CreditCode(new string(buffer));
    }

    public override string ToString() => Value;

    /// <summary>Value of a character in <see cref="Alphabet"/>, or -1.</summary>
    internal static int CharValue(char c) => c < 128 ? Values[c] : -1;

    internal static bool CheckCore(ReadOnlySpan<char> s, ref IssueCollector issues)
    {
        if (s.Length == 0)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.EmptyInput(KindText.CreditCode));
            }

            return false;
        }

        if (s.Length != Length)
        {
            if (issues.Collect)
            {
                issues.Add(Issues.WrongLength(KindText.CreditCode, "18", "18", s.Length));
            }

            return false;
        }

        var first17Legal = true;
        var sum = 0;
        for (var i = 0; i < Length; i++)
        {
            var v = CharValue(s[i]);
            if (v < 0)
            {
                if (!issues.Collect)
                {
                    return false;
                }

                first17Legal &= i == 17;
                issues.Add(IllegalCharIssue(i + 1, s[i]));
            }
            else if (i < 17)
            {
                sum += v * Weights[i];
            }
        }

        if (first17Legal)
        {
            // Every character of the alphabet is also a legal GB 11714 body character, so this always computes.
            var org = s.Slice(8, 9);
            var expectedOrg = OrganizationCode.TryComputeCheckChar(org[..8]);
            if (expectedOrg != org[8])
            {
                if (!issues.Collect)
                {
                    return false;
                }

                issues.Add(Issues.WrongOrgCheck(org, expectedOrg, org[8]));
            }

            var expected = CheckFromSum(sum);
            if (expected != s[17])
            {
                if (!issues.Collect)
                {
                    return false;
                }

                issues.Add(Issues.WrongCheck(18, expected, s[17]));
            }
        }

        if (issues.Collect)
        {
            AddWarnings(s, ref issues);
        }

        return !issues.HasError;
    }

    private static void AddWarnings(ReadOnlySpan<char> s, ref IssueCollector issues)
    {
        var departmentName = CreditCodeCategories.DepartmentName(s[0]);
        if (departmentName is null)
        {
            issues.Add(Issues.UnknownDepartment(s[0]));
        }
        else if (CreditCodeCategories.CategoryName(s[0], s[1]) is null)
        {
            issues.Add(Issues.UnknownCategory(s[0], departmentName, s[1]));
        }

        var division = s.Slice(2, 6);
        if (!DivisionCodes.IsKnown(division))
        {
            issues.Add(Issues.UnknownDivisionCode(3, division));
        }
    }

    private static IdentifierIssue IllegalCharIssue(int position, char c) =>
        c is 'I' or 'O' or 'Z' or 'S' or 'V'
            ? Issues.Illegal(position, c, "统一社会信用代码不使用字母I、O、Z、S、V", "the unified social credit code does not use the letters I, O, Z, S, V")
            : Issues.Illegal(position, c, "只能是数字或除I、O、Z、S、V以外的大写字母", "only digits and upper-case letters other than I, O, Z, S, V are used");

    // A sum divisible by 31 must give '0', not index 31: hence the second "% 31".
    private static char CheckFromSum(int sum) => Alphabet[(31 - (sum % 31)) % 31];

    private char CharAt(int index) => IsSet ? Value[index] : '\0';

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
