using Xinyong.Core.Search;

namespace Xinyong.Core.Tests.Search;

public sealed class NameNormalizerTests
{
    [Theory]
    [InlineData("昆山恒达机械制造有限公司", "320583|恒达机械制造|有限公司")]
    [InlineData("昆山市恒达机械制造有限公司", "320583|恒达机械制造|有限公司")]
    [InlineData("  昆山 市 恒达 机械制造  有限公司 ", "320583|恒达机械制造|有限公司")]
    [InlineData("江苏省苏州市昆山市恒达机械制造有限公司", "320583|恒达机械制造|有限公司")]
    [InlineData("苏州恒达机械制造有限责任公司", "320500|恒达机械制造|有限责任公司")]
    [InlineData("江苏恒达机械制造股份有限公司", "320000|恒达机械制造|股份有限公司")]
    [InlineData("恒达机械制造", "0|恒达机械制造|")]
    [InlineData("恒达（苏州）机械制造有限公司", "320500|恒达机械制造|有限公司")]
    [InlineData("恒达(苏州)机械制造有限公司", "320500|恒达机械制造|有限公司")]
    [InlineData("恒达机械制造（苏州）有限公司", "320500|恒达机械制造|有限公司")]
    [InlineData("恒达【中国】机械制造有限公司", "0|恒达机械制造|有限公司")]
    [InlineData("ＡＢＣ恒达科技有限公司", "0|ABC恒达科技|有限公司")]
    [InlineData("abc恒达科技有限公司", "0|ABC恒达科技|有限公司")]
    [InlineData("恒达·机械、制造有限公司", "0|恒达机械制造|有限公司")]
    [InlineData("恒达机械(昆山)分公司", "320583|恒达机械分公司|")]
    [InlineData("恒达机械有限公司苏州分公司", "0|恒达机械苏州分公司|有限公司")]
    [InlineData("恒达机械有限公司昆山市玉山镇分公司", "0|恒达机械昆山市玉山镇分公司|有限公司")]
    [InlineData("苏州恒达创业投资合伙企业（有限合伙）", "320500|恒达创业投资|有限合伙")]
    [InlineData("昆山市玉山镇张伟小吃店", "320583|张伟小吃店|")]
    [InlineData("昆山市千灯镇老王面馆", "320583|老王面馆|")]
    [InlineData("苏州银行股份有限公司", "320500|银行|股份有限公司")]
    [InlineData("苏州市有限公司", "0|苏州市|有限公司")]
    [InlineData("有限公司", "0|有限公司|")]
    [InlineData("昆山金华电子科技有限公司", "320583|金华电子科技|有限公司")]
    [InlineData("吴中医药集团有限公司", "0|吴中医药集团|有限公司")]
    public void Parse_Spellings_GiveCorePlaceAndForm(string name, string expected)
    {
        var key = MatchKey.Parse(name);
        $"{key.Place}|{key.Core}|{key.FormText}".ShouldBe(expected);
    }

    [Theory]
    [InlineData("昆山恒达机械制造有限公司", "昆山恒达机械制造有限公司")]
    [InlineData("昆山（恒达）机械制造有限公司", "昆山(恒达)机械制造有限公司")]
    [InlineData("昆山　恒达　机械制造有限公司", "昆山恒达机械制造有限公司")]
    [InlineData("昆山恒达机械制造有限公司 ", "昆山恒达机械制造有限公司")]
    [InlineData("ＸＹＺ恒达有限公司", "xyz恒达有限公司")]
    [InlineData("蘇州恆達機械製造有限公司", "苏州恒达机械制造有限公司")]
    public void Parse_WidthBracketsSpaceCase_GiveEqualKeys(string a, string b) =>
        MatchKey.Parse(a).ShouldBe(MatchKey.Parse(b));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("（）·、")]
    public void Parse_NothingToMatch_IsEmpty(string? name) => MatchKey.Parse(name).IsEmpty.ShouldBeTrue();

    [Fact]
    public void Parse_VeryLongInput_IsCut()
    {
        var key = MatchKey.Parse(new string('恒', 5000));
        key.Core.Length.ShouldBeLessThanOrEqualTo(NameNormalizer.MaxLength);
    }
}
