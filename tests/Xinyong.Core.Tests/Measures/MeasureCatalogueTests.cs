using Xinyong.Core.Departments;
using Xinyong.Core.Lists;
using Xinyong.Core.Measures;

namespace Xinyong.Core.Tests.Measures;

public sealed class MeasureCatalogueTests
{
    private static readonly ListTypeCatalogue Types = ListTypeCatalogue.LoadDefault();
    private static readonly IReadOnlyList<MemberUnit> Units = MemberUnits.LoadDefault();
    private static readonly string[] Codes = Units.Select(u => u.Code).ToArray();
    private static readonly Dictionary<string, string> Names = Units.ToDictionary(u => u.Code, u => u.Name);

    private static MeasureCatalogue.MeasureDto Dto(string id = "P-X-01", string kind = "punishment", string? basis = "《某条例》第一条",
        string listType = "judgment-defaulter", DateOnly? from = null, DateOnly? until = null) => new()
    {
        Id = id, Kind = kind, Nature = "administrative", TextZh = "限制参加政府采购", LegalBasis = basis, Departments = ["czj"],
        ListTypes = [listType], MatterKinds = ["procurement"], ExtendsTo = [], EffectiveFrom = from ?? new DateOnly(2020, 1, 1), EffectiveUntil = until,
    };

    private static MeasureCatalogue Build(params MeasureCatalogue.MeasureDto[] dtos) =>
        MeasureCatalogue.Build("t1", new DateOnly(2026, 12, 1), dtos.Select(d => ((long?)null, d)).ToList(), Types, Codes);

    [Fact]
    public void LoadDefault_StarterCatalogue_ValidWithRewardsPunishmentsAndExtensions()
    {
        var c = MeasureCatalogue.LoadDefault(Types, Codes);
        c.All.Count(m => m.Kind == MeasureKind.Punishment).ShouldBeGreaterThanOrEqualTo(10);
        c.All.Count(m => m.Kind == MeasureKind.Reward).ShouldBeGreaterThanOrEqualTo(5);
        c.All.ShouldAllBe(m => m.LegalBasis.Length > 0);
        c.All.Where(m => m.ExtendsTo.Count > 0).Select(m => m.Id).ShouldContain("P-CONS-01");
        // Every list type on the platform triggers at least one measure.
        Types.Ids.ShouldAllBe(id => c.All.Any(m => m.ListTypes.Contains(id)));
    }

    [Fact]
    public void Build_WithoutLegalBasis_RefusedNamingTheMeasure()
    {
        var ex = Should.Throw<CatalogueInvalidException>(() => Build(Dto(basis: " ")));
        ex.Issues.Single().Field.ShouldBe("legalBasis");
        ex.Issues.Single().MeasureId.ShouldBe("P-X-01");
    }

    [Fact]
    public void Build_PunishmentTriggeredByRedList_Refused()
    {
        var ex = Should.Throw<CatalogueInvalidException>(() => Build(Dto(listType: "honours")));
        ex.Issues.Single().Zh.ShouldContain("红名单");
    }

    [Fact]
    public void Build_RewardTriggeredByBlackList_Refused()
    {
        var ex = Should.Throw<CatalogueInvalidException>(() => Build(Dto(id: "R-X", kind: "reward")));
        ex.Issues.Single().Field.ShouldBe("listTypes");
    }

    [Fact]
    public void Build_UnknownDepartmentAndMatter_EveryProblemReported()
    {
        var d = Dto();
        d.Departments = ["nosuch"];
        d.MatterKinds = ["lottery"];
        var ex = Should.Throw<CatalogueInvalidException>(() => Build(d));
        ex.Issues.Select(i => i.Field).ShouldBe(["departments", "matterKinds"], ignoreOrder: true);
    }

    [Fact]
    public void Build_TwoVersionsOverlapping_RefusedAndConsecutiveAccepted()
    {
        Should.Throw<CatalogueInvalidException>(() => Build(Dto(), Dto(from: new DateOnly(2024, 1, 1))));
        var c = Build(Dto(until: new DateOnly(2024, 1, 1)), Dto(from: new DateOnly(2024, 1, 1)));
        c.Find("P-X-01", new DateOnly(2023, 12, 31))!.EffectiveFrom.ShouldBe(new DateOnly(2020, 1, 1));
        c.Find("P-X-01", new DateOnly(2024, 1, 1))!.EffectiveFrom.ShouldBe(new DateOnly(2024, 1, 1));
    }

    [Fact]
    public void ToJson_Parse_RoundTrips()
    {
        var c = MeasureCatalogue.LoadDefault(Types, Codes);
        var again = MeasureCatalogue.Parse(c.ToJson(), Types, Codes);
        again.Version.ShouldBe(c.Version);
        again.All.Count.ShouldBe(c.All.Count);
        for (var i = 0; i < c.All.Count; i++)
        {
            again.All[i].Id.ShouldBe(c.All[i].Id);
            again.All[i].LegalBasis.ShouldBe(c.All[i].LegalBasis);
            again.All[i].ExtendsTo.ShouldBe(c.All[i].ExtendsTo);
            again.All[i].MatterKinds.ShouldBe(c.All[i].MatterKinds);
            again.All[i].Departments.ShouldBe(c.All[i].Departments);
        }
    }

    [Fact]
    public void Sheet_WriteThenRead_SameMeasuresUnderNewVersion()
    {
        var c = MeasureCatalogue.LoadDefault(Types, Codes);
        using var ms = new MemoryStream();
        MeasureCatalogueSheet.Write(c, Types, Names, ms);
        ms.Position = 0;
        var read = MeasureCatalogueSheet.Read(ms, "2027-01", new DateOnly(2027, 1, 5), Types, Names);
        read.Version.ShouldBe("2027-01");
        read.IssuedOn.ShouldBe(new DateOnly(2027, 1, 5));
        read.All.Count.ShouldBe(c.All.Count);
        var cons = read.All.Single(m => m.Id == "P-CONS-01");
        cons.Departments.ShouldBe([Measure.AllDepartments]);
        cons.ExtendsTo.ShouldBe(["legal-representative", "principal", "actual-controller"]);
        read.All.Single(m => m.Id == "P-PROC-01").ListTypes.ShouldBe(c.All.Single(m => m.Id == "P-PROC-01").ListTypes);
    }

    [Fact]
    public void Sheet_BadRows_RefusedWithSpreadsheetRowNumbers()
    {
        using var ms = new MemoryStream();
        using (var w = new Xinyong.Core.Ingestion.Sources.XlsxTableWriter(ms, "s", MeasureCatalogueSheet.Header))
        {
            w.WriteRow(["P-1", "惩戒", "行政性", "限制参加政府采购", null, "《政府采购法》第二十二条", "财政局", "失信被执行人名单", "政府采购", null, "2020-01-01", null]);
            w.WriteRow(["P-2", "惩戒", "行政性", "限制", null, "", "财政局", "失信被执行人名单", "政府采购", null, "2020-01-01", null]);
            w.WriteRow(["P-3", "惩戒", "行政性", "限制", null, "依据", "财政局", "失信被执行人名单", "政府采购", "董事长", "明年", null]);
        }
        ms.Position = 0;
        var ex = Should.Throw<CatalogueInvalidException>(() => MeasureCatalogueSheet.Read(ms, "v", new DateOnly(2026, 12, 1), Types, Names));
        ex.Issues.ShouldContain(i => i.Row == 3 && i.Field == "legalBasis");
        ex.Issues.ShouldContain(i => i.Row == 4 && i.Field == "extendsTo");
        ex.Issues.Count(i => i.Row == 4 && i.Field == "effectiveFrom").ShouldBe(1);
        ex.Issues.ShouldNotContain(i => i.Row == 2);
    }
}
