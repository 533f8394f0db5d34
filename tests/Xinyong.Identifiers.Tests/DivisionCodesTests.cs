namespace Xinyong.Identifiers.Tests;

public class DivisionCodesTests
{
    [Theory]
    [InlineData("320583", "江苏省苏州市昆山市")]
    [InlineData("320500", "江苏省苏州市")]
    [InlineData("320000", "江苏省")]
    [InlineData("320508", "江苏省苏州市姑苏区")]
    [InlineData("320502", "江苏省苏州市沧浪区")] // abolished 2012, still inside old codes
    [InlineData("310230", "上海市崇明县")] // abolished 2016, still inside old codes
    [InlineData("110105", "北京市朝阳区")] // municipality: no prefecture level
    [InlineData("500229", "重庆市城口县")]
    [InlineData("429004", "湖北省仙桃市")] // province-administered county-level city
    [InlineData("350100", "福建省福州市")]
    public void TryGetName_KnownCode_GivesFullName(string code, string fullName)
    {
        DivisionCodes.TryGetName(code, out var name).ShouldBeTrue();

        name.ShouldBe(fullName);
        DivisionCodes.IsKnown(code).ShouldBeTrue();
    }

    [Theory]
    [InlineData("990000")]
    [InlineData("32058")]
    [InlineData("32058A")]
    [InlineData("")]
    public void TryGetName_UnknownCode_ReturnsFalse(string code)
    {
        DivisionCodes.TryGetName(code, out _).ShouldBeFalse();
        DivisionCodes.IsKnown(code).ShouldBeFalse();
    }

    [Fact]
    public void KunshanAndSuzhou_AllCodes_AreKnownSuzhouCodes()
    {
        DivisionCodes.KunshanAndSuzhou.ShouldContain("320583");
        DivisionCodes.KunshanAndSuzhou.Count.ShouldBe(10);
        foreach (var code in DivisionCodes.KunshanAndSuzhou)
        {
            code.ShouldStartWith("3205");
            DivisionCodes.TryGetName(code, out var name).ShouldBeTrue();
            name.ShouldStartWith("江苏省苏州市");
        }
    }
}
