using Xinyong.Core.Departments;
using Xinyong.Core.Lists;
using Xinyong.Core.Measures;

namespace Xinyong.Core.Tests.Measures;

public sealed class MeasureMatcherTests
{
    private static readonly ListTypeCatalogue Types = ListTypeCatalogue.LoadDefault();
    private static readonly MeasureCatalogue Catalogue = MeasureCatalogue.LoadDefault(Types, MemberUnits.LoadDefault().Select(u => u.Code).ToList());
    private static readonly DateOnly Day = new(2026, 12, 1);
    private const long Company = 10;
    private const long Person = 20;

    private static TriggeringEntry Entry(long id, string type, long subject) =>
        new(id, type, subject, "法释〔2017〕7号", "（2026）苏0583执123号", new DateOnly(2026, 1, 1), null);

    private static LenientRule Rule(string kind, long subject, long? entry, DateOnly from, DateOnly? until, long id = 1)
    {
        var r = LenientRule.Create(new LenientRuleDraft(kind, subject, entry, "昆信用办〔2020〕2号", "因参与疫情防控延迟交货", from, until), from);
        r.AssignId(id);
        return r;
    }

    [Fact]
    public void Match_CompanyOnDefaulterListAskedByFinanceForProcurement_ProcurementMeasureWithEntry()
    {
        var m = MeasureMatcher.Match(Catalogue, "czj", "procurement", Company, [Entry(1, "judgment-defaulter", Company)], [], [], Day);
        var only = m.ShouldHaveSingleItem();
        only.Measure.Id.ShouldBe("P-PROC-01");
        only.Basis.Single().Entry.Id.ShouldBe(1);
        only.Basis.Single().ViaRole.ShouldBeNull();
    }

    [Fact]
    public void Match_DepartmentNotImplementing_NoMeasure()
    {
        MeasureMatcher.Match(Catalogue, "jyj", "procurement", Company, [Entry(1, "judgment-defaulter", Company)], [], [], Day).ShouldBeEmpty();
    }

    [Fact]
    public void Match_PersonLegalRepresentativeOfListedCompany_OnlyMeasuresExtendingToTheRole()
    {
        var roles = new[] { new SubjectRole(Company, Person, SubjectRoles.LegalRepresentative) };
        var entries = new[] { Entry(1, "judgment-defaulter", Company) };

        var consumption = MeasureMatcher.Match(Catalogue, "jtysj", "high-consumption", Person, entries, roles, [], Day).ShouldHaveSingleItem();
        consumption.Measure.Id.ShouldBe("P-CONS-01");
        consumption.Basis.Single().ViaRole.ShouldBe(SubjectRoles.LegalRepresentative);

        // Procurement measures do not extend to the legal representative.
        MeasureMatcher.Match(Catalogue, "czj", "procurement", Person, entries, roles, [], Day).ShouldBeEmpty();
        // Nor is a stranger reached.
        MeasureMatcher.Match(Catalogue, "jtysj", "high-consumption", 99, entries, roles, [], Day).ShouldBeEmpty();
    }

    [Fact]
    public void Match_ActualControllerNotCoveredByOfficeMeasure_NotReached()
    {
        var roles = new[] { new SubjectRole(Company, Person, SubjectRoles.ActualController) };
        MeasureMatcher.Match(Catalogue, "scjgj", "public-office", Person, [Entry(1, "serious-dishonesty-market", Company)], roles, [], Day).ShouldBeEmpty();
        var rep = new[] { new SubjectRole(Company, Person, SubjectRoles.Principal) };
        MeasureMatcher.Match(Catalogue, "scjgj", "public-office", Person, [Entry(1, "serious-dishonesty-market", Company)], rep, [], Day)
            .ShouldHaveSingleItem().Measure.Id.ShouldBe("P-OFFICE-01");
    }

    [Fact]
    public void Match_MinorExemptionOnTheOnlyListing_PunishmentWithheldWithTheRule()
    {
        var rule = Rule(LenientKinds.MinorExemption, Company, 1, new DateOnly(2026, 11, 1), null);
        var m = MeasureMatcher.Match(Catalogue, "czj", "procurement", Company, [Entry(1, "judgment-defaulter", Company)], [], [rule], Day).ShouldHaveSingleItem();
        m.IsWithheld.ShouldBeTrue();
        m.Withheld.Single().Id.ShouldBe(rule.Id);
    }

    [Fact]
    public void Match_MinorExemptionOnOneOfTwoListings_AppliesOnTheOther()
    {
        var rule = Rule(LenientKinds.MinorExemption, Company, 1, new DateOnly(2026, 11, 1), null);
        var m = MeasureMatcher.Match(Catalogue, "czj", "procurement", Company,
            [Entry(1, "judgment-defaulter", Company), Entry(2, "serious-dishonesty-tax", Company)], [], [rule], Day).ShouldHaveSingleItem();
        m.IsWithheld.ShouldBeFalse();
        m.Basis.Single().Entry.Id.ShouldBe(2);
    }

    [Fact]
    public void Match_ForceMajeure_SuspendsPunishmentsOnlyDuringThePeriod()
    {
        var rule = Rule(LenientKinds.ForceMajeure, Company, null, new DateOnly(2026, 11, 1), new DateOnly(2027, 1, 1));
        var entries = new[] { Entry(1, "judgment-defaulter", Company) };
        MeasureMatcher.Match(Catalogue, "czj", "procurement", Company, entries, [], [rule], Day).Single().IsWithheld.ShouldBeTrue();
        MeasureMatcher.Match(Catalogue, "czj", "procurement", Company, entries, [], [rule], new DateOnly(2027, 1, 1)).Single().IsWithheld.ShouldBeFalse();
    }

    [Fact]
    public void Match_LenientRuleOnRedListedSubject_RewardStillGiven()
    {
        var rule = Rule(LenientKinds.ForceMajeure, Company, null, new DateOnly(2026, 11, 1), new DateOnly(2027, 1, 1));
        var m = MeasureMatcher.Match(Catalogue, "swj", "tax-service", Company, [Entry(5, "a-grade-taxpayer", Company)], [], [rule], Day).ShouldHaveSingleItem();
        m.Measure.Kind.ShouldBe(MeasureKind.Reward);
        m.IsWithheld.ShouldBeFalse();
    }
}
