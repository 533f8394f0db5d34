namespace Xinyong.Identifiers.Tests;

public class CodeGeneratorTests
{
    private const int Iterations = 2_000;

    [Fact]
    public void NextCreditCode_ManyCodes_AllValidWithoutWarnings()
    {
        var rng = new Random(1);
        char[][] pairs = [['9', '1'], ['9', '2'], ['9', '3'], ['1', '1'], ['1', '2'], ['5', '1'], ['N', '2']];
        for (var n = 0; n < Iterations; n++)
        {
            var pair = pairs[n % pairs.Length];
            var division = DivisionCodes.KunshanAndSuzhou[n % DivisionCodes.KunshanAndSuzhou.Count];
            var code = CodeGenerator.NextCreditCode(rng, division, pair[0], pair[1]);

            var check = CreditCode.Validate(code.Value);
            check.IsValid.ShouldBeTrue(code.Value);
            check.Issues.ShouldBeEmpty(code.Value);
            code.DivisionCode.ShouldBe(division);
            code.OrganizationCode.Value.ShouldBe(code.Value.Substring(8, 9));
        }
    }

    [Fact]
    public void NextOrganizationCode_ManyCodes_AllValid()
    {
        var rng = new Random(2);
        for (var n = 0; n < Iterations; n++)
        {
            var code = CodeGenerator.NextOrganizationCode(rng).Value;
            OrganizationCode.Validate(code).IsValid.ShouldBeTrue(code);
        }
    }

    [Fact]
    public void NextRegistrationNumber_ManyNumbers_AllValidWithoutWarnings()
    {
        var rng = new Random(3);
        for (var n = 0; n < Iterations; n++)
        {
            var number = CodeGenerator.NextRegistrationNumber(rng, "320583").Value;
            RegistrationNumber.Validate(number).Issues.ShouldBeEmpty(number);
        }
    }

    [Fact]
    public void NextResidentId_ManyNumbers_AllValidInRange()
    {
        var rng = new Random(4);
        var min = new DateOnly(1950, 1, 1);
        var max = new DateOnly(2008, 12, 31);
        for (var n = 0; n < Iterations; n++)
        {
            var id = CodeGenerator.NextResidentId(rng, "320583", min, max);
            ResidentId.Validate(id.Value, max).Issues.ShouldBeEmpty(id.Value);
            id.DateOfBirth.ShouldBeInRange(min, max);
        }
    }

    [Fact]
    public void NextCreditCode_SameSeed_SameSequence()
    {
        var a = new Random(20191025);
        var b = new Random(20191025);
        for (var n = 0; n < 100; n++)
        {
            CodeGenerator.NextCreditCode(a, "320583").ShouldBe(CodeGenerator.NextCreditCode(b, "320583"));
        }
    }

    [Theory]
    [InlineData("32058")]
    [InlineData("32058X")]
    public void NextCreditCode_BadDivision_Throws(string division)
    {
        Should.Throw<ArgumentException>(() => CodeGenerator.NextCreditCode(new Random(5), division));
    }
}
