namespace Xinyong.Identifiers.Tests;

public class ResidentIdTests
{
    // Hand checks: sum = Σ digit × (7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2), check = "10X98765432"[sum % 11].
    [Theory]
    [InlineData("11010519491231002X", "110105", "1949-12-31", false)] // GB 11643 example: 167 % 11 = 2 -> 'X'
    [InlineData("320583199003071239", "320583", "1990-03-07", true)] // 289 % 11 = 3 -> '9'
    [InlineData("320583200002294567", "320583", "2000-02-29", false)] // leap day; 291 % 11 = 5 -> '7'
    public void Parse_ValidNumber_ExposesParts(string value, string division, string birth, bool male)
    {
        var check = ResidentId.Validate(value, new DateOnly(2026, 1, 1));
        check.IsValid.ShouldBeTrue();
        check.Issues.ShouldBeEmpty();

        var id = ResidentId.Parse(value);

        id.DivisionCode.ShouldBe(division);
        id.DateOfBirth.ShouldBe(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture));
        id.IsMale.ShouldBe(male);
        id.CheckChar.ShouldBe(value[17]);
        ResidentId.ComputeCheckChar(value.AsSpan(0, 17)).ShouldBe(value[17]);
    }

    [Fact]
    public void TryParse_LowerCaseX_Normalizes()
    {
        ResidentId.TryParse("11010519491231002x", out var id).ShouldBeTrue();

        id.Value.ShouldBe("11010519491231002X");
    }

    [Theory]
    [InlineData("110105194912310021", 'X', '1')]
    [InlineData("320583199003071238", '9', '8')]
    public void Validate_WrongCheckChar_ReportsExpected(string input, char expected, char actual)
    {
        var issue = ResidentId.Validate(input).Issues.ShouldHaveSingleItem();

        issue.Code.ShouldBe("check_char");
        issue.Position.ShouldBe(18);
        issue.MessageZh.ShouldBe($"第18位校验码应为“{expected}”，实为“{actual}”");
    }

    [Theory]
    [InlineData("110105194902301234")] // 30 February, check char correct
    [InlineData("110105194913010002")] // month 13, check char correct
    [InlineData("110105000001010001")] // year 0, check char correct
    public void Validate_ImpossibleDate_ReportsBirthDate(string input)
    {
        var check = ResidentId.Validate(input);

        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("birth_date");
        issue.Position.ShouldBe(7);
        ResidentId.TryParse(input, out _).ShouldBeFalse();
    }

    [Fact]
    public void Validate_BornBefore1900_ReportsBirthDate()
    {
        var check = ResidentId.Validate("110105189912310015");

        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("birth_date");
        issue.MessageEn.ShouldBe("date of birth 1899-12-31 is before 1900-01-01");
    }

    [Fact]
    public void Validate_BornAfterToday_ReportsBirthDateOnlyWithToday()
    {
        const string id = "110105209912310010";

        ResidentId.Validate(id).IsValid.ShouldBeTrue();
        var issue = ResidentId.Validate(id, new DateOnly(2026, 11, 20)).Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("birth_date");
        issue.MessageZh.ShouldBe("出生日期2099-12-31晚于当前日期2026-11-20");
    }

    [Fact]
    public void Validate_Old15Digits_ReportsOldFormat()
    {
        var issue = ResidentId.Validate("110105491231002").Issues.ShouldHaveSingleItem();

        issue.Code.ShouldBe("old_format");
        issue.MessageEn.ShouldBe("old 15-digit format, convert to 18 digits");
    }

    [Theory]
    [InlineData("1101051949123100", 16)]
    [InlineData("11010519491231002X1", 19)]
    public void Validate_WrongLength_ReportsLength(string input, int actual)
    {
        var issue = ResidentId.Validate(input).Issues.ShouldHaveSingleItem();

        issue.Code.ShouldBe("length");
        issue.MessageEn.ShouldContain($"has {actual}");
    }

    [Theory]
    [InlineData("1101051949123100AX", 17)]
    [InlineData("11010519491231002Y", 18)]
    [InlineData("X10105194912310021", 1)]
    public void Validate_IllegalChar_ReportsPosition(string input, int position)
    {
        var check = ResidentId.Validate(input);

        check.IsValid.ShouldBeFalse();
        check.Issues.ShouldContain(i => i.Code == "illegal_char" && i.Position == position);
    }

    [Fact]
    public void Validate_UnknownDivision_IsValidWithWarning()
    {
        var id = ResidentId.Create("990000", new DateOnly(1980, 5, 1), 12).Value;

        var check = ResidentId.Validate(id);

        check.IsValid.ShouldBeTrue();
        check.Issues.ShouldHaveSingleItem().Code.ShouldBe("unknown_division");
    }

    [Fact]
    public void Create_Parts_BuildsValidNumber()
    {
        var id = ResidentId.Create("110105", new DateOnly(1949, 12, 31), 2);

        id.Value.ShouldBe("11010519491231002X");
        id.IsMale.ShouldBeFalse();
        ResidentId.Create("320583", new DateOnly(1990, 3, 7), 123).Value.ShouldBe("320583199003071239");
        Should.Throw<ArgumentOutOfRangeException>(() => ResidentId.Create("110105", new DateOnly(1990, 1, 1), 1000));
        Should.Throw<ArgumentOutOfRangeException>(() => ResidentId.Create("110105", new DateOnly(1899, 1, 1), 1));
    }

    [Fact]
    public void TryParse_ValidNormalizedNumber_DoesNotAllocate()
    {
        const string value = "11010519491231002X";
        ResidentId.TryParse(value, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = true;
        for (var i = 0; i < 1_000; i++)
        {
            ok &= ResidentId.TryParse(value, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        ok.ShouldBeTrue();
        allocated.ShouldBe(0);
    }

    [Fact]
    public void Mask_Value_KeepsFirstFourAndLastTwo()
    {
        ResidentId.Parse("11010519491231002X").Mask().ShouldBe("1101************2X");
    }

    [Fact]
    public void TryParse_EverySingleSubstitution_IsCaught()
    {
        // ISO 7064 MOD 11-2 detects every single substitution; a changed date may also be caught as a bad date.
        const string chars18 = "0123456789X";
        var rng = new Random(11643);
        for (var n = 0; n < 2_000; n++)
        {
            var division = DivisionCodes.KunshanAndSuzhou[rng.Next(DivisionCodes.KunshanAndSuzhou.Count)];
            var id = CodeGenerator.NextResidentId(rng, division, new DateOnly(1930, 1, 1), new DateOnly(2010, 12, 31)).Value;
            var chars = id.ToCharArray();
            for (var pos = 0; pos < chars.Length; pos++)
            {
                var original = chars[pos];
                foreach (var c in chars18)
                {
                    if (c == original)
                    {
                        continue;
                    }

                    chars[pos] = c;
                    var mutated = new string(chars);
                    ResidentId.TryParse(mutated, out _).ShouldBeFalse(mutated);
                    if (n < 50)
                    {
                        ResidentId.Validate(mutated).IsValid.ShouldBeFalse(mutated);
                    }
                }

                chars[pos] = original;
            }
        }
    }
}
