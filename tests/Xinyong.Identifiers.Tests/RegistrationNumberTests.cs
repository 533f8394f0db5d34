namespace Xinyong.Identifiers.Tests;

public class RegistrationNumberTests
{
    // Hand check of 110108000000016 (ISO 7064 MOD 11,10, p starts at 10; s = (p + d) % 10 or 10; p = 2s % 11):
    // 1: s=1 p=2 | 1: s=3 p=6 | 0: s=6 p=1 | 1: s=2 p=4 | 0: s=4 p=8 | 8: s=6 p=1 | 0 ×7: s=1 p=2, s=2 p=4,
    // s=4 p=8, s=8 p=5, s=5 p=10, s=10 p=9, s=9 p=7 | 1: s=8 p=5; check = (11 - 5) % 10 = 6.
    [Theory]
    [InlineData("110108000000016")]
    [InlineData("310230001716146")]
    [InlineData("310230001716154")]
    [InlineData("320583000123451")]
    [InlineData("320583600012349")]
    [InlineData("100000000018305")] // national authority prefix 100000: no division warning
    public void Validate_ValidNumber_IsValidWithoutIssues(string number)
    {
        var check = RegistrationNumber.Validate(number);

        check.IsValid.ShouldBeTrue();
        check.Kind.ShouldBe(IdentifierKind.RegistrationNumber);
        check.Issues.ShouldBeEmpty();
        RegistrationNumber.ComputeCheckDigit(number.AsSpan(0, 14)).ShouldBe(number[14]);
        RegistrationNumber.Parse(number).DivisionCode.ShouldBe(number[..6]);
    }

    [Theory]
    [InlineData("110108000000017", '6', '7')]
    [InlineData("310230001716145", '6', '5')]
    public void Validate_WrongCheckDigit_ReportsExpected(string input, char expected, char actual)
    {
        var check = RegistrationNumber.Validate(input);

        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("check_char");
        issue.Position.ShouldBe(15);
        issue.MessageEn.ShouldBe($"check character at position 15 should be '{expected}' but is '{actual}'");
    }

    [Theory]
    [InlineData("1101080000A0016", 11)]
    [InlineData("11010800000001X", 15)]
    public void Validate_NonDigit_ReportsIllegalChar(string input, int position)
    {
        var check = RegistrationNumber.Validate(input);

        check.IsValid.ShouldBeFalse();
        check.Issues.ShouldContain(i => i.Code == "illegal_char" && i.Position == position);
    }

    [Theory]
    [InlineData("11010800000001", 14)]
    [InlineData("1101080000000161", 16)]
    public void Validate_WrongLength_ReportsLength(string input, int actual)
    {
        var issue = RegistrationNumber.Validate(input).Issues.ShouldHaveSingleItem();

        issue.Code.ShouldBe("length");
        issue.MessageZh.ShouldBe($"注册号应为15位，实为{actual}位");
    }

    [Fact]
    public void Validate_UnknownDivision_IsValidWithWarning()
    {
        var number = RegistrationNumber.Create("99000000012345").Value;

        var check = RegistrationNumber.Validate(number);

        check.IsValid.ShouldBeTrue();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("unknown_division");
        issue.Severity.ShouldBe(IssueSeverity.Warning);
        issue.Position.ShouldBe(1);
    }

    [Fact]
    public void Create_First14_AppendsCheckDigit()
    {
        RegistrationNumber.Create("11010800000001").Value.ShouldBe("110108000000016");
        Should.Throw<ArgumentException>(() => RegistrationNumber.Create("1101080000000A"));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Should.Throw<FormatException>(() => RegistrationNumber.Parse("110108000000017"));
    }

    [Fact]
    public void TryParse_EverySingleSubstitution_IsCaught()
    {
        // ISO 7064 MOD 11,10 detects every single substitution.
        var rng = new Random(15);
        for (var n = 0; n < 2_000; n++)
        {
            var division = DivisionCodes.KunshanAndSuzhou[rng.Next(DivisionCodes.KunshanAndSuzhou.Count)];
            var number = CodeGenerator.NextRegistrationNumber(rng, division).Value;
            var chars = number.ToCharArray();
            for (var pos = 0; pos < chars.Length; pos++)
            {
                var original = chars[pos];
                for (var c = '0'; c <= '9'; c++)
                {
                    if (c == original)
                    {
                        continue;
                    }

                    chars[pos] = c;
                    var mutated = new string(chars);
                    RegistrationNumber.TryParse(mutated, out _).ShouldBeFalse(mutated);
                    if (n < 50)
                    {
                        RegistrationNumber.Validate(mutated).IsValid.ShouldBeFalse(mutated);
                    }
                }

                chars[pos] = original;
            }
        }
    }
}
