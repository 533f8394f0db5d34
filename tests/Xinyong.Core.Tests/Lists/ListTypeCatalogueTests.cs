using Xinyong.Core.Departments;
using Xinyong.Core.Lists;

namespace Xinyong.Core.Tests.Lists;

public sealed class ListTypeCatalogueTests
{
    private static readonly ListTypeCatalogue Types = ListTypeCatalogue.LoadDefault();

    [Fact]
    public void LoadDefault_ShipsRedBlackAndWatchTypesFromTheSeeds()
    {
        Types.Find("judgment-defaulter", new DateOnly(2026, 1, 1))!.Kind.ShouldBe(ListKind.Black);
        Types.Find("a-grade-taxpayer", new DateOnly(2026, 1, 1))!.Kind.ShouldBe(ListKind.Red);
        Types.Find("honours", new DateOnly(2026, 1, 1))!.Kind.ShouldBe(ListKind.Red);
        Types.Find("abnormal-operation", new DateOnly(2026, 1, 1))!.Kind.ShouldBe(ListKind.Watch);
        var yellow = Types.Find("work-safety-yellow-card", new DateOnly(2026, 1, 1))!;
        yellow.PeriodMonths.ShouldBe(3);
        yellow.ListedUntil(new DateOnly(2020, 3, 16)).ShouldBe(new DateOnly(2020, 6, 16));
        Types.Find("judgment-defaulter", new DateOnly(2026, 1, 1))!.ListedUntil(new DateOnly(2026, 1, 1)).ShouldBeNull();
    }

    [Fact]
    public void Departments_EveryType_NamesExistingMemberUnits()
    {
        var codes = MemberUnits.LoadDefault().Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var t in Types.All) t.Departments.ShouldAllBe(d => codes.Contains(d), t.Id);
    }

    [Fact]
    public void Find_BeforeTheTypeTookEffect_ReturnsNull()
    {
        Types.Find("serious-dishonesty-market", new DateOnly(2021, 8, 31)).ShouldBeNull();
        Types.Find("serious-dishonesty-market", new DateOnly(2021, 9, 1)).ShouldNotBeNull();
        Types.Find("no-such-type", new DateOnly(2026, 1, 1)).ShouldBeNull();
    }

    [Fact]
    public void Find_TwoVersions_UsesTheOneInForceOnTheDay()
    {
        var json = """
            {"types":[
              {"id":"t","effectiveFrom":"2020-01-01","kind":"watch","nameZh":"甲","nameEn":"A","departments":["yjglj"],"legalBasisZh":"法","legalBasisEn":"law",
               "criteriaZh":"c","criteriaEn":"c","periodMonths":3,"exitZh":"e","exitEn":"e","remediesZh":"r","remediesEn":"r","objectionWorkingDays":5},
              {"id":"t","effectiveFrom":"2026-04-01","kind":"watch","nameZh":"甲","nameEn":"A","departments":["yjglj"],"legalBasisZh":"法","legalBasisEn":"law",
               "criteriaZh":"c","criteriaEn":"c","periodMonths":6,"exitZh":"e","exitEn":"e","remediesZh":"r","remediesEn":"r","objectionWorkingDays":10}
            ]}
            """;
        var c = ListTypeCatalogue.Parse(json);
        c.Find("t", new DateOnly(2026, 3, 31))!.PeriodMonths.ShouldBe(3);
        c.Find("t", new DateOnly(2026, 4, 1))!.PeriodMonths.ShouldBe(6);
        c.Latest("t")!.ObjectionWorkingDays.ShouldBe(10);
    }

    [Fact]
    public void Parse_TypeWithoutLegalBasis_IsRejected()
    {
        var json = """
            {"types":[{"id":"t","effectiveFrom":"2020-01-01","kind":"black","nameZh":"甲","nameEn":"A","departments":["yjglj"],
               "criteriaZh":"c","criteriaEn":"c","periodMonths":3,"exitZh":"e","exitEn":"e","remediesZh":"r","remediesEn":"r"}]}
            """;
        Should.Throw<InvalidDataException>(() => ListTypeCatalogue.Parse(json)).Message.ShouldContain("legalBasisZh");
    }
}
