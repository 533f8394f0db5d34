using Shouldly;
using Xinyong.Core.Normalization;

namespace Xinyong.Core.Tests.Normalization;

public sealed class ChineseTextTests
{
    [Theory]
    [InlineData("昆山 市（ABC）有限公司", "昆山市(ABC)有限公司")]
    [InlineData("昆山市(abc)有限公司", "昆山市(ABC)有限公司")]
    [InlineData("苏州【星河】科技\u3000有限公司", "苏州(星河)科技有限公司")]
    [InlineData("苏市监罚〔2025〕12号", "苏市监罚(2025)12号")]
    [InlineData("昆山\u200B市\uFEFF华 为\t店", "昆山市华为店")]
    [InlineData("ＡＢＣ１２３", "ABC123")]
    [InlineData("[x]", "(X)")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void NameKey_NormalisesWidthSpaceBracketsAndCase(string? name, string expected) =>
        ChineseText.NameKey(name).ShouldBe(expected);

    [Fact]
    public void NameKey_NameThatIsItsOwnKey_SameInstance()
    {
        var name = new string("昆山市(ABC)有限公司".AsSpan());
        ChineseText.NameKey(name).ShouldBeSameAs(name);
    }

    [Fact]
    public void NameKey_LongName_Normalised()
    {
        var name = string.Concat(Enumerable.Repeat("昆山 （a）", 100));
        ChineseText.NameKey(name).ShouldBe(string.Concat(Enumerable.Repeat("昆山(A)", 100)));
    }
}
