namespace Xinyong.Identifiers.Tests;

public class CreditCodeTests
{
    // Hand checks: sum = Σ value(pos i) × weight(i) over positions 1-17, check = Alphabet[(31 - sum % 31) % 31].
    [Theory]
    [InlineData("91350100M000100Y43")] // GB 32100 worked example: sum 1640, 1640 % 31 = 28, 31 - 28 = 3 -> '3'
    [InlineData("91310230MA1K314J7C")] // sum 1972 % 31 = 19, 31 - 19 = 12 -> 'C'
    [InlineData("91310230MA1K314K57")] // sum 1946 % 31 = 24, 31 - 24 = 7 -> '7'
    [InlineData("11320583014123458G")] // org 01412345: 113 % 11 = 3 -> 8; sum 1038 % 31 = 15 -> 16 -> 'G'
    [InlineData("92320583MA1XK3L261")] // org MA1XK3L2: 687 % 11 = 5 -> 6; sum 2169 % 31 = 30 -> 1 -> '1'
    [InlineData("52320583508812341F")] // org 50881234: 208 % 11 = 10 -> 1; sum 1039 % 31 = 16 -> 15 -> 'F'
    [InlineData("12320500466901134H")] // org 46690113: 216 % 11 = 7 -> 4; sum 975 % 31 = 14 -> 17 -> 'H'
    [InlineData("913205830000001900")] // org 00000019: 22 % 11 = 0 -> 11 -> '0'; sum 682 = 22 × 31 -> '0'
    public void Validate_ValidCode_IsValidWithoutIssues(string code)
    {
        var check = CreditCode.Validate(code);

        check.IsValid.ShouldBeTrue();
        check.Kind.ShouldBe(IdentifierKind.CreditCode);
        check.Issues.ShouldBeEmpty();
        CreditCode.TryParse(code, out var parsed).ShouldBeTrue();
        parsed.Value.ShouldBe(code);
        CreditCode.ComputeCheckChar(code.AsSpan(0, 17)).ShouldBe(code[17]);
    }

    [Fact]
    public void Parse_WorkedExample_ExposesParts()
    {
        var code = CreditCode.Parse("91350100M000100Y43");

        code.RegisteringDepartment.ShouldBe('9');
        code.Category.ShouldBe('1');
        code.DivisionCode.ShouldBe("350100");
        code.OrganizationCode.Value.ShouldBe("M000100Y4");
        code.CheckChar.ShouldBe('3');
        code.RegisteringDepartmentName.ShouldBe("市场监管（工商）");
        code.CategoryName.ShouldBe("企业");
        code.SubjectCategory.ShouldBe(SubjectCategory.LegalPerson);
        code.ToString().ShouldBe("91350100M000100Y43");
    }

    [Theory]
    [InlineData("91350100M000100Y43", "企业", SubjectCategory.LegalPerson)]
    [InlineData("92320583MA1XK3L261", "个体工商户", SubjectCategory.IndividualBusiness)]
    [InlineData("52320583508812341F", "民办非企业单位", SubjectCategory.LegalPerson)]
    [InlineData("11320583014123458G", "机关", SubjectCategory.LegalPerson)]
    [InlineData("97350100M000100Y4G", null, SubjectCategory.Unknown)]
    public void Parse_Category_MapsNameAndSubjectCategory(string value, string? name, SubjectCategory subject)
    {
        var code = CreditCode.Parse(value);

        code.CategoryName.ShouldBe(name);
        code.SubjectCategory.ShouldBe(subject);
    }

    [Fact]
    public void ComputeCheckChar_SumDivisibleBy31_GivesZero()
    {
        // Search instead of trusting a constant: the first Kunshan enterprise prefix whose weighted sum is a
        // multiple of 31. The common bug indexes the alphabet with 31 here and throws or returns garbage.
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        string? found = null;
        for (var n = 0; n < 100_000 && found is null; n++)
        {
            var org = OrganizationCode.Create(n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
            var prefix = "91320583" + org.Value;
            var sum = 0;
            for (var i = 0; i < 17; i++)
            {
                sum += CreditCode.Alphabet.IndexOf(prefix[i], StringComparison.Ordinal) * weights[i];
            }

            if (sum % 31 == 0)
            {
                found = prefix;
            }
        }

        found.ShouldBe("91320583000000190");
        CreditCode.ComputeCheckChar(found).ShouldBe('0');
        CreditCode.Validate(found + "0").IsValid.ShouldBeTrue();
        CreditCode.Create('9', '1', "320583", OrganizationCode.Parse("000000190")).Value.ShouldBe("913205830000001900");
    }

    [Theory]
    [InlineData("91350100M000100Y4", 17)]
    [InlineData("91350100M000100Y431", 19)]
    [InlineData("9", 1)]
    public void Validate_WrongLength_ReportsLengthWithActualLength(string input, int actual)
    {
        var check = CreditCode.Validate(input);

        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("length");
        issue.Severity.ShouldBe(IssueSeverity.Error);
        issue.Position.ShouldBeNull();
        issue.MessageEn.ShouldContain($"has {actual}");
        issue.MessageZh.ShouldContain($"实为{actual}位");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_Empty_ReportsEmpty(string? input)
    {
        var check = CreditCode.Validate(input);

        check.IsValid.ShouldBeFalse();
        check.Issues.ShouldHaveSingleItem().Code.ShouldBe("empty");
    }

    [Theory]
    [InlineData("91350100M0O0100Y43", 11, 'O')]
    [InlineData("9I350100M000100Y43", 2, 'I')]
    [InlineData("91350100M000100Y4S", 18, 'S')]
    [InlineData("91350100M000100V43", 16, 'V')]
    [InlineData("9135010ZM000100Y43", 8, 'Z')]
    public void Validate_ExcludedLetter_ReportsIllegalCharWithPosition(string input, int position, char c)
    {
        var check = CreditCode.Validate(input);

        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.First(i => i.Code == "illegal_char");
        issue.Position.ShouldBe(position);
        issue.MessageEn.ShouldBe($"character '{c}' at position {position} is not allowed: the unified social credit code does not use the letters I, O, Z, S, V");
        issue.MessageZh.ShouldBe($"第{position}位字符“{c}”不合法：统一社会信用代码不使用字母I、O、Z、S、V");
    }

    [Fact]
    public void Validate_SeveralIllegalChars_ReportsEachPosition()
    {
        var check = CreditCode.Validate("9135010#M000I00Y43");

        check.Issues.Where(i => i.Code == "illegal_char").Select(i => i.Position).ShouldBe([8, 13]);
        check.Issues.ShouldNotContain(i => i.Code == "check_char");
    }

    [Fact]
    public void Validate_WrongCheckChar_ReportsExpectedChar()
    {
        var check = CreditCode.Validate("91350100M000100Y44");

        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("check_char");
        issue.Position.ShouldBe(18);
        issue.MessageZh.ShouldBe("第18位校验码应为“3”，实为“4”");
        issue.MessageEn.ShouldBe("check character at position 18 should be '3' but is '4'");
    }

    [Fact]
    public void Validate_IllegalLastChar_ReportsIllegalCharAndExpectedCheck()
    {
        var check = CreditCode.Validate("91350100M000100Y4I");

        check.Issues.Select(i => i.Code).ShouldBe(["illegal_char", "check_char"]);
        check.Issues[1].MessageEn.ShouldContain("should be '3'");
    }

    [Fact]
    public void Validate_EmbeddedOrganizationCodeWrong_ReportsOrgCheckOnly()
    {
        // Position 17 is '5' instead of '4' and position 18 was recomputed, so only the GB 11714 check fails.
        var check = CreditCode.Validate("91350100M000100Y56");

        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("org_check");
        issue.Position.ShouldBe(17);
        issue.MessageEn.ShouldContain("position 17 should be '4' but is '5'");
        issue.MessageZh.ShouldContain("第17位应为“4”，实为“5”");
    }

    [Theory]
    [InlineData("B1350100M000100Y41", 1)] // unknown department B
    [InlineData("97350100M000100Y4G", 2)] // department 9 has no category 7
    public void Validate_UnknownDepartmentOrCategory_IsValidWithWarning(string input, int position)
    {
        var check = CreditCode.Validate(input);

        check.IsValid.ShouldBeTrue();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Severity.ShouldBe(IssueSeverity.Warning);
        issue.Code.ShouldBe("unknown_department_category");
        issue.Position.ShouldBe(position);
        CreditCode.TryParse(input, out _).ShouldBeTrue();
    }

    [Fact]
    public void Validate_UnknownDivision_IsValidWithWarning()
    {
        var check = CreditCode.Validate("91990000M000100Y4N");

        check.IsValid.ShouldBeTrue();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Severity.ShouldBe(IssueSeverity.Warning);
        issue.Code.ShouldBe("unknown_division");
        issue.Position.ShouldBe(3);
        issue.MessageEn.ShouldContain("'990000'");
    }

    [Theory]
    [InlineData("91350100m000100y43")]
    [InlineData(" 9135 0100 M000 100Y 43 ")]
    [InlineData("９１３５０１００Ｍ０００１００Ｙ４３")]
    public void TryParse_UnnormalizedInput_ParsesToCanonicalValue(string input)
    {
        CreditCode.TryParse(input, out var code).ShouldBeTrue();

        code.Value.ShouldBe("91350100M000100Y43");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("91350100M000100Y44")]
    [InlineData("91350100M000100Y56")]
    public void TryParse_InvalidCode_ReturnsFalseAndDefault(string? input)
    {
        CreditCode.TryParse(input, out var code).ShouldBeFalse();

        code.ShouldBe(default);
        code.Value.ShouldBe(string.Empty);
    }

    [Fact]
    public void Parse_InvalidCode_ThrowsFormatExceptionWithFirstError()
    {
        var ex = Should.Throw<FormatException>(() => CreditCode.Parse("91350100M000100Y44"));

        ex.Message.ShouldBe("check character at position 18 should be '3' but is '4'");
    }

    [Fact]
    public void Create_Parts_ComputesCheckChar()
    {
        var code = CreditCode.Create('9', '1', "350100", OrganizationCode.Parse("M000100Y4"));

        code.Value.ShouldBe("91350100M000100Y43");
    }

    [Fact]
    public void Create_OrganizationCodeWithExcludedLetter_Throws()
    {
        Should.Throw<ArgumentException>(() => CreditCode.Create('9', '1', "320583", OrganizationCode.Create("MA1SS000")));
    }

    [Fact]
    public void ComputeCheckChar_IllegalCharacter_Throws()
    {
        Should.Throw<ArgumentException>(() => CreditCode.ComputeCheckChar("91350100M000100I4"));
        Should.Throw<ArgumentException>(() => CreditCode.ComputeCheckChar("9135"));
    }

    [Fact]
    public void TryParse_ValidNormalizedCode_DoesNotAllocate()
    {
        const string value = "91350100M000100Y43";
        CreditCode.TryParse(value, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = true;
        for (var i = 0; i < 1_000; i++)
        {
            ok &= CreditCode.TryParse(value, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        ok.ShouldBeTrue();
        allocated.ShouldBe(0);
    }

    [Fact]
    public void Equality_SameValue_IsEqual()
    {
        CreditCode.Parse("91350100M000100Y43").ShouldBe(CreditCode.Parse("９１３５０１００Ｍ０００１００Ｙ４３"));
    }

    [Fact]
    public void TryParse_EverySingleSubstitution_IsCaught()
    {
        // GB 32100 weights are non-zero modulo the prime 31, so every single substitution changes the sum.
        var rng = new Random(32100);
        var validated = 0;
        for (var n = 0; n < 2_000; n++)
        {
            var division = DivisionCodes.KunshanAndSuzhou[rng.Next(DivisionCodes.KunshanAndSuzhou.Count)];
            var code = CodeGenerator.NextCreditCode(rng, division, n % 3 == 0 ? '5' : '9', n % 2 == 0 ? '1' : '2').Value;
            var chars = code.ToCharArray();
            for (var pos = 0; pos < chars.Length; pos++)
            {
                var original = chars[pos];
                foreach (var c in CreditCode.Alphabet)
                {
                    if (c == original)
                    {
                        continue;
                    }

                    chars[pos] = c;
                    var mutated = new string(chars);
                    CreditCode.TryParse(mutated, out _).ShouldBeFalse(mutated);
                    if (n < 50)
                    {
                        CreditCode.Validate(mutated).IsValid.ShouldBeFalse(mutated);
                        validated++;
                    }
                }

                chars[pos] = original;
            }
        }

        validated.ShouldBe(50 * 18 * 30);
    }
}
