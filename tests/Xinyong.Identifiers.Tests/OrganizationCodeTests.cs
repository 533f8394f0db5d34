namespace Xinyong.Identifiers.Tests;

public class OrganizationCodeTests
{
    // Hand checks: sum = Σ value × (3,7,9,10,5,8,4,2), c = 11 - sum % 11, 10 -> 'X', 11 -> '0'.
    [Theory]
    [InlineData("600037341")] // 18+0+0+0+15+56+12+8 = 109, 109 % 11 = 10 -> 1
    [InlineData("MA1K314J7")] // M=22, A=10, K=20, J=19: 66+70+9+200+15+8+16+38 = 422, 422 % 11 = 4 -> 7
    [InlineData("M000100Y4")] // 66+5+68 = 139, 139 % 11 = 7 -> 4
    [InlineData("00000006X")] // 6×2 = 12, 12 % 11 = 1 -> 10 -> 'X'
    [InlineData("000000190")] // 1×4 + 9×2 = 22, 22 % 11 = 0 -> 11 -> '0'
    [InlineData("014123458")] // 7+36+10+10+24+16+10 = 113, 113 % 11 = 3 -> 8
    public void Validate_ValidCode_IsValid(string code)
    {
        var check = OrganizationCode.Validate(code);

        check.IsValid.ShouldBeTrue();
        check.Kind.ShouldBe(IdentifierKind.OrganizationCode);
        check.Issues.ShouldBeEmpty();
        OrganizationCode.ComputeCheckChar(code.AsSpan(0, 8)).ShouldBe(code[8]);
    }

    [Theory]
    [InlineData("60003734-1", "600037341")]
    [InlineData("ma1k314j7", "MA1K314J7")]
    [InlineData("ＭＡ１Ｋ３１４Ｊ－７", "MA1K314J7")]
    [InlineData(" 60003734 - 1 ", "600037341")]
    public void TryParse_HyphenOrLowerCase_ParsesToNineChars(string input, string expected)
    {
        OrganizationCode.TryParse(input, out var code).ShouldBeTrue();

        code.Value.ShouldBe(expected);
        code.Body.ShouldBe(expected[..8]);
        code.CheckChar.ShouldBe(expected[8]);
        OrganizationCode.Validate(input).Normalized.ShouldBe(expected);
    }

    [Theory]
    [InlineData("60003734", 8)]
    [InlineData("6000373412", 10)]
    [InlineData("6000-37341", 10)]
    public void Validate_WrongLength_ReportsLength(string input, int actual)
    {
        var issue = OrganizationCode.Validate(input).Issues.ShouldHaveSingleItem();

        issue.Code.ShouldBe("length");
        issue.MessageEn.ShouldContain($"has {actual}");
    }

    [Theory]
    [InlineData("6000#7341", 5)]
    [InlineData("60003*341", 6)]
    public void Validate_IllegalBodyChar_ReportsPosition(string input, int position)
    {
        var check = OrganizationCode.Validate(input);

        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("illegal_char");
        issue.Position.ShouldBe(position);
    }

    [Fact]
    public void Validate_LetterAsCheckChar_ReportsIllegalCharAndExpected()
    {
        var check = OrganizationCode.Validate("60003734A");

        check.Issues.Select(i => (i.Code, i.Position)).ShouldBe([("illegal_char", 9), ("check_char", 9)]);
        check.Issues[1].MessageEn.ShouldBe("check character at position 9 should be '1' but is 'A'");
    }

    [Theory]
    [InlineData("600037342", '1', '2')]
    [InlineData("MA1K314J8", '7', '8')]
    [InlineData("000000061", 'X', '1')]
    public void Validate_WrongCheckChar_ReportsExpected(string input, char expected, char actual)
    {
        var issue = OrganizationCode.Validate(input).Issues.ShouldHaveSingleItem();

        issue.Code.ShouldBe("check_char");
        issue.Position.ShouldBe(9);
        issue.MessageZh.ShouldBe($"第9位校验码应为“{expected}”，实为“{actual}”");
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Should.Throw<FormatException>(() => OrganizationCode.Parse("600037342"))
            .Message.ShouldBe("check character at position 9 should be '1' but is '2'");
    }

    [Fact]
    public void Create_Body_AppendsCheckChar()
    {
        OrganizationCode.Create("60003734").Value.ShouldBe("600037341");
        Should.Throw<ArgumentException>(() => OrganizationCode.Create("6000373"));
        Should.Throw<ArgumentException>(() => OrganizationCode.Create("6000373-"));
    }

    [Fact]
    public void TryParse_EverySingleSubstitutionNotAMultipleOfEleven_IsCaught()
    {
        // GB 11714 works modulo 11 over 36 body values, so a substitution whose value difference is 11, 22 or 33
        // (e.g. 0 <-> B, 1 <-> C) leaves the sum unchanged: the standard cannot see it (see the next test).
        // Every other single substitution, including every digit-for-digit one and every change of the
        // check character, is caught.
        const string bodyChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const string checkChars = "0123456789X";
        var rng = new Random(11714);
        for (var n = 0; n < 2_000; n++)
        {
            var code = CodeGenerator.NextOrganizationCode(rng).Value;
            var chars = code.ToCharArray();
            for (var pos = 0; pos < 9; pos++)
            {
                var original = chars[pos];
                foreach (var c in pos < 8 ? bodyChars : checkChars)
                {
                    if (c == original || (pos < 8 && (Value(c) - Value(original)) % 11 == 0))
                    {
                        continue;
                    }

                    chars[pos] = c;
                    var mutated = new string(chars);
                    OrganizationCode.TryParse(mutated, out _).ShouldBeFalse(mutated);
                    if (n < 50)
                    {
                        OrganizationCode.Validate(mutated).IsValid.ShouldBeFalse(mutated);
                    }
                }

                chars[pos] = original;
            }
        }
    }

    [Theory]
    [InlineData("600037341", "6B0037341")] // position 2: 0 -> B (value 11), weight 7: +77 ≡ 0 (mod 11)
    [InlineData("600037341", "60003I341")] // position 6: 7 -> I (value 18), weight 8: +88 ≡ 0 (mod 11)
    public void Validate_SubstitutionByMultipleOfEleven_IsInvisibleToGb11714(string original, string mutated)
    {
        // Documents the limit of the standard, not a bug: both codes carry the same weighted sum modulo 11.
        OrganizationCode.Validate(original).IsValid.ShouldBeTrue();
        OrganizationCode.Validate(mutated).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Validate_EmbeddedInCreditCode_SubstitutionByElevenIsCaughtByPosition18()
    {
        // The same blind spot inside a credit code: the GB 11714 part still passes, the MOD 31 check does not.
        var code = CreditCode.Create('9', '1', "320583", OrganizationCode.Parse("600037341")).Value;
        var mutated = code[..9] + "B" + code[10..];

        var check = CreditCode.Validate(mutated);

        check.IsValid.ShouldBeFalse();
        check.Issues.ShouldHaveSingleItem().Code.ShouldBe("check_char");
    }

    private static int Value(char c) => c <= '9' ? c - '0' : c - 'A' + 10;
}
