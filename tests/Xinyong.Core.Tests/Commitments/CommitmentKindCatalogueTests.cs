using Xinyong.Core.Commitments;

namespace Xinyong.Core.Tests.Commitments;

public sealed class CommitmentKindCatalogueTests
{
    [Fact]
    public void LoadDefault_TheFiveKindsOfTheWorkPlan_EachWithLegalBasis()
    {
        var kinds = CommitmentKindCatalogue.LoadDefault().InForce(new DateOnly(2026, 12, 1));
        kinds.Select(k => k.Id).ShouldBe(["voluntary", "industry", "approval-replacing", "incomplete-application", "repair"]);
        kinds.ShouldAllBe(k => k.LegalBasisZh.Contains('《') && k.LegalBasisEn.Length > 10);
        kinds.Where(k => k.MatterRequired).Select(k => k.Id).ShouldBe(["approval-replacing", "incomplete-application"]);
        kinds.Where(k => !k.OnlineBySubject).Select(k => k.Id).ShouldBe(["approval-replacing", "incomplete-application"]);
    }

    [Fact]
    public void LoadDefault_Targets_MatchTheWorkPlan()
    {
        var targets = CommitmentKindCatalogue.LoadDefault().Targets.ToDictionary(t => t.Id);
        targets["market-coverage"].TargetPercent.ShouldBe(90m);
        targets["market-coverage"].Kinds.ShouldBe(["voluntary", "industry"]);
        targets["market-coverage"].Denominator.ShouldBe(CoverageDenominator.MarketEntities);
        targets["approval-replacing-matters"].Matters.Count.ShouldBe(5);
        targets["repair-black-listed"].Denominator.ShouldBe(CoverageDenominator.BlackListed);
        targets.Values.Where(t => t.Id != "market-coverage").ShouldAllBe(t => t.TargetPercent == 100m);
    }

    [Fact]
    public void Find_BeforeTheFirstVersion_ReturnsNull_LaterVersionWins()
    {
        const string json = """
            { "kinds": [
              { "id": "voluntary", "effectiveFrom": "2019-07-01", "nameZh": "a", "nameEn": "a", "descriptionZh": "d", "descriptionEn": "d", "legalBasisZh": "b1", "legalBasisEn": "b1" },
              { "id": "voluntary", "effectiveFrom": "2026-04-01", "nameZh": "a", "nameEn": "a", "descriptionZh": "d", "descriptionEn": "d", "legalBasisZh": "b2", "legalBasisEn": "b2" } ] }
            """;
        var c = CommitmentKindCatalogue.Parse(json);
        c.Find("voluntary", new DateOnly(2019, 6, 30)).ShouldBeNull();
        c.Find("voluntary", new DateOnly(2026, 3, 31))!.LegalBasisZh.ShouldBe("b1");
        c.Find("voluntary", new DateOnly(2026, 4, 1))!.LegalBasisZh.ShouldBe("b2");
        c.Find("nope", new DateOnly(2026, 4, 1)).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{ "kinds": [ { "id": "x", "effectiveFrom": "2019-07-01", "nameZh": "a", "nameEn": "a", "descriptionZh": "d", "descriptionEn": "d", "legalBasisEn": "b" } ] }""", "legalBasisZh")]
    [InlineData("""{ "kinds": [ { "id": "x", "effectiveFrom": "2019-07-01", "nameZh": "a", "nameEn": "a", "descriptionZh": "d", "descriptionEn": "d", "legalBasisZh": "b", "legalBasisEn": "b", "breachGradeDefault": "huge" } ] }""", "breachGradeDefault")]
    [InlineData("""{ "kinds": [ { "id": "x", "effectiveFrom": "2019-07-01", "nameZh": "a", "nameEn": "a", "descriptionZh": "d", "descriptionEn": "d", "legalBasisZh": "b", "legalBasisEn": "b" } ], "targets": [ { "id": "t", "kinds": ["y"], "denominator": "market-entities", "targetPercent": 90 } ] }""", "known kinds")]
    [InlineData("""{ "kinds": [ { "id": "x", "effectiveFrom": "2019-07-01", "nameZh": "a", "nameEn": "a", "descriptionZh": "d", "descriptionEn": "d", "legalBasisZh": "b", "legalBasisEn": "b" } ], "targets": [ { "id": "t", "kinds": ["x"], "denominator": "matters", "targetPercent": 100 } ] }""", "lists its matters")]
    public void Parse_IncompleteDefinition_IsRefusedAtLoad(string json, string message) =>
        Should.Throw<InvalidDataException>(() => CommitmentKindCatalogue.Parse(json)).Message.ShouldContain(message);
}
