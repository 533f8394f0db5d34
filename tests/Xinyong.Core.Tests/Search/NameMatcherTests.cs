using Xinyong.Core.Search;

namespace Xinyong.Core.Tests.Search;

public sealed class NameMatcherTests
{
    private const string Name = "昆山恒达机械制造有限公司";

    [Theory]
    [InlineData("昆山恒达机械制造有限公司", MatchKind.Exact, 0)]
    [InlineData("昆山市恒达机械制造有限公司", MatchKind.Exact, 0)]
    [InlineData("昆山恒达机械制造（有限公司）", MatchKind.Exact, 0)]
    [InlineData("昆山恒达机械制造有限责任公司", MatchKind.SameName, 0)]
    [InlineData("昆山恒达机械制造股份有限公司", MatchKind.SameName, 0)]
    [InlineData("恒达机械制造有限公司", MatchKind.SameName, 0)]
    [InlineData("恒达机械制造", MatchKind.SameName, 0)]
    [InlineData("苏州恒达机械制造有限公司", MatchKind.SameName, 0)]
    [InlineData("昆山恒大机械制造有限公司", MatchKind.Similar, 1)]
    [InlineData("昆山恒达机械製造有限公司", MatchKind.Exact, 0)]
    [InlineData("昆山恒达机制造有限公司", MatchKind.Similar, 1)]
    [InlineData("昆山恒达机械机制造有限公司", MatchKind.Similar, 1)]
    [InlineData("昆山达恒机械制造有限公司", MatchKind.Similar, 1)]
    [InlineData("恒达", MatchKind.Contains, 4)]
    public void Match_Variants_HaveKindAndDifferences(string query, MatchKind kind, int differences)
    {
        var m = NameMatcher.Match(query, Name);
        m.Kind.ShouldBe(kind);
        m.DifferentCharacters.ShouldBe(differences);
        m.ReasonZh.ShouldNotBeNullOrEmpty();
        m.ReasonEn.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Match_Ranking_ExactAboveFormVariantAboveTypoAboveMissingWords()
    {
        var exact = NameMatcher.Match(Name, Name).Score;
        var sameFamily = NameMatcher.Match("昆山恒达机械制造有限责任公司", Name).Score;
        var otherFamily = NameMatcher.Match("昆山恒达机械制造股份有限公司", Name).Score;
        var typo = NameMatcher.Match("昆山恒大机械制造有限公司", Name).Score;
        var twoTypos = NameMatcher.Match("昆山恒大机戒制造有限公司", Name).Score;
        var partOnly = NameMatcher.Match("恒达", Name).Score;

        exact.ShouldBe(1.0);
        sameFamily.ShouldBeLessThan(exact);
        otherFamily.ShouldBeLessThan(sameFamily);
        typo.ShouldBeLessThan(otherFamily);
        twoTypos.ShouldBeLessThan(typo);
        partOnly.ShouldBeLessThan(typo);
        partOnly.ShouldBeGreaterThan(NameMatchOptions.Default.MinScore);
    }

    [Fact]
    public void Match_FormerName_ScoresJustBelowAndSaysSo()
    {
        var current = NameMatcher.Match(Name, Name);
        var former = NameMatcher.Match(Name, Name, formerName: true);

        former.Score.ShouldBeLessThan(current.Score);
        former.Score.ShouldBeGreaterThan(0.98);
        former.FormerName.ShouldBeTrue();
        former.ReasonZh.ShouldBe("与曾用名一致");
        former.ReasonEn.ShouldBe("same as a former name");
        former.ReasonCode.ShouldBe("exact_former");
    }

    [Fact]
    public void Match_DifferentPlaces_PenalisedMoreThanNestedOrMissing()
    {
        var missing = NameMatcher.Match("恒达机械制造有限公司", Name);
        var nested = NameMatcher.Match("苏州恒达机械制造有限公司", Name);
        var different = NameMatcher.Match("无锡恒达机械制造有限公司", Name);

        missing.Place.ShouldBe(PlaceRelation.Missing);
        nested.Place.ShouldBe(PlaceRelation.Nested);
        different.Place.ShouldBe(PlaceRelation.Different);
        missing.Score.ShouldBeGreaterThan(nested.Score);
        nested.Score.ShouldBeGreaterThan(different.Score);
        different.ReasonZh.ShouldBe("名称一致，地名不同（无锡/昆山）");
        different.ReasonEn.ShouldBe("same name, different place (无锡 / 昆山)");
    }

    [Theory]
    [InlineData("昆山恒达机械制造有限责任公司", "名称一致，组织形式不同（有限责任公司/有限公司）", "same name, different company form (有限责任公司 / 有限公司)")]
    [InlineData("昆山恒达机械制造", "名称一致，未比对组织形式", "same name, company form not compared")]
    [InlineData("昆山恒太机械制造有限公司", "名称相近（相差1个字）", "similar name (1 character different)")]
    [InlineData("昆山恒大机械制造有限公司", "名称相近（相差1个同音字）", "similar name (1 character different, same sound)")]
    [InlineData("恒达", "名称包含查询内容", "name contains the query")]
    public void Match_Reasons_AreInChineseAndEnglish(string query, string zh, string en)
    {
        var m = NameMatcher.Match(query, Name);
        m.ReasonZh.ShouldBe(zh);
        m.ReasonEn.ShouldBe(en);
    }

    [Fact]
    public void Match_SameSoundTypo_RanksAboveOtherTypo()
    {
        var sameSound = NameMatcher.Match("昆山恒大机械制造有限公司", Name);
        var other = NameMatcher.Match("昆山恒太机械制造有限公司", Name);

        sameSound.Kind.ShouldBe(MatchKind.Similar);
        other.Kind.ShouldBe(MatchKind.Similar);
        sameSound.Score.ShouldBeGreaterThan(other.Score);
        sameSound.Score.ShouldBeLessThan(NameMatcher.Match("昆山恒达机械制造股份有限公司", Name).Score);
    }

    [Fact]
    public void Match_LongerNames_AllowMoreDifferences()
    {
        var m = NameMatcher.Match("昆山恒太精密机戒制造设备有限公司", "昆山恒达精密机械制造设备有限公司");

        (m.Kind, m.DifferentCharacters).ShouldBe((MatchKind.Similar, 2));
        m.ReasonZh.ShouldBe("名称相近（相差2个字）");
        m.ReasonEn.ShouldBe("similar name (2 characters different)");
    }

    [Fact]
    public void Match_SameIndustryOtherTradeName_IsNotSimilar() =>
        NameMatcher.Match("昆山华鑫机械制造有限公司", Name).Score.ShouldBeLessThan(NameMatchOptions.Default.MinScore);

    [Fact]
    public void Match_UnrelatedName_ScoresBelowMinimum() =>
        NameMatcher.Match("苏州华鑫餐饮管理有限公司", Name).Score.ShouldBeLessThan(NameMatchOptions.Default.MinScore);

    [Theory]
    [InlineData("恒达", "恒达", 0)]
    [InlineData("恒达机械", "恒大机械", 1)]
    [InlineData("恒达机械", "达恒机械", 1)]
    [InlineData("恒达机械", "恒机械", 1)]
    [InlineData("恒达机械", "恒达机械厂", 1)]
    [InlineData("恒达机械", "华鑫餐饮", 4)] // beyond the bound of 3: bound + 1
    public void Osa_CountsEditsAndSwaps(string a, string b, int expected) =>
        EditDistance.Osa(a, b, 3).ShouldBe(expected);
}
