namespace Xinyong.Identifiers.Tests;

public class IdentifierTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("  91350100m000100y43\t", "91350100M000100Y43")]
    [InlineData("9135 0100 M000 100Y 43", "91350100M000100Y43")]
    [InlineData("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43")]
    [InlineData("\uFEFF91350100M000100Y43", "91350100M000100Y43")] // byte order mark from a CSV file
    [InlineData("60003734\u20141", "60003734-1")] // em dash
    [InlineData("ＭＡ１Ｋ３１４Ｊ－７", "MA1K314J-7")]
    [InlineData("\u300011010519491231002ｘ\u3000", "11010519491231002X")] // ideographic spaces
    public void Normalize_Input_GivesCanonicalForm(string? input, string expected)
    {
        Identifier.Normalize(input).ShouldBe(expected);
    }

    [Fact]
    public void Normalize_CleanInput_ReturnsSameInstance()
    {
        const string clean = "91350100M000100Y43";

        ReferenceEquals(Identifier.Normalize(clean), clean).ShouldBeTrue();
    }

    [Theory]
    [InlineData("91350100M000100Y43", IdentifierKind.CreditCode)]
    [InlineData("９１３５０１００Ｍ０００１００Ｙ４３", IdentifierKind.CreditCode)]
    [InlineData("913205830000001900", IdentifierKind.CreditCode)] // all digits, but no ID shape (no birth date)
    [InlineData("91350100M000100Y44", IdentifierKind.CreditCode)] // wrong check char is still a credit code
    [InlineData("11010519491231002X", IdentifierKind.ResidentId)]
    [InlineData("11010519491231002x", IdentifierKind.ResidentId)]
    [InlineData("110105194912310021", IdentifierKind.ResidentId)] // mistyped ID: neither checksum holds
    [InlineData("600037341", IdentifierKind.OrganizationCode)]
    [InlineData("60003734-1", IdentifierKind.OrganizationCode)]
    [InlineData("110108000000016", IdentifierKind.RegistrationNumber)]
    [InlineData("110105491231002", IdentifierKind.RegistrationNumber)] // 15 digits are registration numbers
    [InlineData("", IdentifierKind.Unknown)]
    [InlineData(null, IdentifierKind.Unknown)]
    [InlineData("12345", IdentifierKind.Unknown)]
    [InlineData("9135010M000100Y43", IdentifierKind.Unknown)]
    public void Detect_Input_GivesKind(string? input, IdentifierKind kind)
    {
        Identifier.Detect(input).ShouldBe(kind);
    }

    [Theory]
    [InlineData("９１３５０１００Ｍ０００１００Ｙ４３", IdentifierKind.CreditCode, "91350100M000100Y43")]
    [InlineData(" 11010519491231002x ", IdentifierKind.ResidentId, "11010519491231002X")]
    [InlineData("60003734-1", IdentifierKind.OrganizationCode, "600037341")]
    [InlineData("110108000000016", IdentifierKind.RegistrationNumber, "110108000000016")]
    public void Check_ValidInput_DispatchesAndValidates(string input, IdentifierKind kind, string normalized)
    {
        var check = Identifier.Check(input);

        check.Kind.ShouldBe(kind);
        check.IsValid.ShouldBeTrue();
        check.Input.ShouldBe(input);
        check.Normalized.ShouldBe(normalized);
    }

    [Fact]
    public void Check_InvalidCreditCode_ReportsIssuesOfThatKind()
    {
        var check = Identifier.Check("91350100M000100Y44");

        check.Kind.ShouldBe(IdentifierKind.CreditCode);
        check.IsValid.ShouldBeFalse();
        check.Issues.ShouldHaveSingleItem().Code.ShouldBe("check_char");
    }

    [Fact]
    public void Check_FutureBirthWithToday_IsInvalid()
    {
        Identifier.Check("110105209912310010").IsValid.ShouldBeTrue();
        Identifier.Check("110105209912310010", new DateOnly(2026, 11, 20)).IsValid.ShouldBeFalse();
    }

    [Theory]
    [InlineData("12345", 5)]
    [InlineData("9135010M000100Y43", 17)]
    public void Check_UnknownLength_ExplainsAcceptedLengths(string input, int length)
    {
        var check = Identifier.Check(input);

        check.Kind.ShouldBe(IdentifierKind.Unknown);
        check.IsValid.ShouldBeFalse();
        var issue = check.Issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("length");
        issue.Severity.ShouldBe(IssueSeverity.Error);
        issue.MessageEn.ShouldContain($"of {length} characters");
        issue.MessageEn.ShouldContain("18");
        issue.MessageEn.ShouldContain("9");
        issue.MessageEn.ShouldContain("15");
        issue.MessageZh.ShouldContain("18位统一社会信用代码");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Check_Empty_ReportsEmpty(string? input)
    {
        var check = Identifier.Check(input);

        check.Kind.ShouldBe(IdentifierKind.Unknown);
        check.Input.ShouldBe(input ?? string.Empty);
        check.Issues.ShouldHaveSingleItem().Code.ShouldBe("empty");
    }
}
