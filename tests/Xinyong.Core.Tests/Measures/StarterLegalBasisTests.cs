using System.Text.RegularExpressions;
using Xinyong.Core.Commitments;
using Xinyong.Core.Departments;
using Xinyong.Core.Lists;
using Xinyong.Core.Measures;

namespace Xinyong.Core.Tests.Measures;

/// <summary>
/// The shipped catalogues name real legal bases: every measure and every commitment kind cites at least one national
/// document by title and number (〔year〕N号, 令第N号, 公告year年第N号) or a national law or regulation by title, and
/// nothing is a placeholder.
/// </summary>
public sealed partial class StarterLegalBasisTests
{
    // A numbered document whose issuer is not local (昆 = Kunshan, 苏 = Suzhou / Jiangsu).
    [GeneratedRegex(@"（(?![昆苏])[^（）]{0,12}〔(19|20)\d{2}〕\d+号）|令第\d+号|公告(19|20)\d{2}年第\d+号")]
    private static partial Regex NationalNumber();

    // A national law (《中华人民共和国…法》) or a State Council regulation (《…条例》 not issued by a locality).
    [GeneratedRegex(@"《中华人民共和国[^》]+法》|《(?!昆山|苏州|江苏)[^》]{2,30}条例》")]
    private static partial Regex NationalLaw();

    [GeneratedRegex(@"TBD|TODO|待定|待补|XX|××|〔20XX〕|\?\?|某某", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    private static bool NamesNationalDocument(string basis) => NationalNumber().IsMatch(basis) || NationalLaw().IsMatch(basis);

    [Fact]
    public void MeasureCatalogue_EveryMeasure_CitesANationalDocumentAndNoPlaceholder()
    {
        var c = MeasureCatalogue.LoadDefault(ListTypeCatalogue.LoadDefault(), MemberUnits.LoadDefault().Select(u => u.Code).ToArray());
        c.All.Where(m => !NamesNationalDocument(m.LegalBasis)).Select(m => m.Id).ShouldBeEmpty();
        c.All.Where(m => Placeholder().IsMatch(m.LegalBasis + m.TextZh + m.TextEn)).Select(m => m.Id).ShouldBeEmpty();
        c.All.ShouldAllBe(m => m.LegalBasis.Contains('《') && m.LegalBasis.Contains('》'));
    }

    [Fact]
    public void MeasureCatalogue_WageArrears_NotInForceBeforeTheMinistryOrderItCites()
    {
        var wage = MeasureCatalogue.LoadDefault(ListTypeCatalogue.LoadDefault(), MemberUnits.LoadDefault().Select(u => u.Code).ToArray())
            .All.Single(m => m.Id == "P-WAGE-01");
        wage.LegalBasis.ShouldContain("人力资源社会保障部令第45号");
        wage.EffectiveFrom.ShouldBe(new DateOnly(2022, 1, 1)); // the order is in force from 1 January 2022
    }

    [Fact]
    public void CommitmentKinds_EveryKind_CitesANationalDocument_MattersAreNamedMatters()
    {
        var catalogue = CommitmentKindCatalogue.LoadDefault();
        var kinds = catalogue.InForce(new DateOnly(2026, 12, 1));
        kinds.Where(k => !NamesNationalDocument(k.LegalBasisZh)).Select(k => k.Id).ShouldBeEmpty();
        kinds.Where(k => Placeholder().IsMatch(k.LegalBasisZh + k.LegalBasisEn)).Select(k => k.Id).ShouldBeEmpty();
        var matters = catalogue.Targets.SelectMany(t => t.Matters).ToList();
        matters.ShouldNotBeEmpty();
        matters.ShouldAllBe(m => !Placeholder().IsMatch(m) && m.Length >= 4);
        matters.Distinct().Count().ShouldBe(matters.Count);
        // Filings (备案) are not approvals; the incomplete-application target counts approval matters.
        catalogue.Targets.Single(t => t.Id == "incomplete-application-matters").Matters.ShouldAllBe(m => !m.EndsWith("备案", StringComparison.Ordinal));
    }
}
