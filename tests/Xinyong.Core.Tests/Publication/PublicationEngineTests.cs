using System.Globalization;
using Xinyong.Core.Publication;
using Xinyong.Core.Subjects;

namespace Xinyong.Core.Tests.Publication;

public class PublicationEngineTests
{
    private static readonly PublicationEngine Engine = new(PublicationRules.LoadDefault());

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static PublicationInput Penalty(string date, string kinds, string? fine = null, SubjectKind kind = SubjectKind.LegalPerson,
        string basis = "《中华人民共和国道路运输条例》第七十条", string authority = "昆山市交通运输局", string? grade = null, string? declaredEnd = null, string? confiscated = null)
    {
        var fields = new Dictionary<string, string> { ["CF_CFLB"] = kinds, ["CF_YJ"] = basis, ["CF_CFJG"] = authority, ["CF_JDRQ"] = date };
        if (fine is not null) fields["CF_NR_FK"] = fine;
        if (confiscated is not null) fields["CF_NR_WFFF"] = confiscated;
        if (grade is not null) fields["CF_YZCD"] = grade;
        if (declaredEnd is not null) fields["CF_GSJZQ"] = declaredEnd;
        return new PublicationInput("penalty", kind, D(date), fields);
    }

    [Theory]
    // decision date, kinds, fine (万元), rule set, grade, repair from, publish until (first day not shown)
    [InlineData("2020-12-09", "罚款", "0.5", "2019-527", "general", "2021-03-09", "2021-12-09")]
    [InlineData("2020-12-09", "吊销许可证件", null, "2019-527", "serious", "2021-06-09", "2023-12-09")]
    [InlineData("2023-04-30", "罚款", "0.5", "2019-527", "general", "2023-07-30", "2024-04-30")]
    [InlineData("2023-05-01", "罚款", "0.5", "2023-order58", "general", "2023-08-01", "2026-05-01")]
    [InlineData("2024-02-29", "罚款", "2", "2023-order58", "general", "2024-05-29", "2027-02-28")]
    [InlineData("2026-03-31", "罚款", "5", "2023-order58", "general", "2026-06-30", "2029-03-31")]
    [InlineData("2026-04-01", "罚款", "5", "2026-repair", "general", "2026-07-01", "2027-04-01")]
    [InlineData("2026-05-10", "罚款", "150", "2026-repair", "serious", "2027-05-10", "2029-05-10")]
    [InlineData("2026-05-10", "罚款;吊销许可证件", "1", "2026-repair", "serious", "2027-05-10", "2029-05-10")]
    [InlineData("2026-05-10", "罚款;没收违法所得", "0.1", "2026-repair", "general", "2026-08-10", "2027-05-10")]
    public void Evaluate_Penalty_UsesRuleSetInForceOnDecisionDate(string date, string kinds, string? fine, string ruleSet, string grade, string repairFrom, string until)
    {
        var d = Engine.Evaluate(Penalty(date, kinds, fine));

        d.RuleSetId.ShouldBe(ruleSet);
        d.Grade!.Value.ToCode().ShouldBe(grade);
        d.Published.ShouldBeTrue();
        d.PublishFrom.ShouldBe(D(date));
        d.RepairFrom.ShouldBe(D(repairFrom));
        d.PublishUntil.ShouldBe(D(until));
    }

    [Theory]
    [InlineData("警告", null)]
    [InlineData("通报批评", null)]
    [InlineData("警告;通报批评", null)]
    [InlineData("罚款", "0.3")]
    [InlineData("警告;罚款", "0.2")]
    public void Evaluate_MinorUnder2026Rules_IsNotPublishedAndRepairableAtOnce(string kinds, string? fine)
    {
        var d = Engine.Evaluate(Penalty("2026-06-01", kinds, fine));

        d.Grade.ShouldBe(PenaltyGrade.Minor);
        d.Published.ShouldBeFalse();
        d.WithheldReason.ShouldBe("minor-grade");
        d.RepairFrom.ShouldBe(D("2026-06-01"));
        d.VisibleOn(D("2026-06-01")).ShouldBeFalse();
    }

    [Fact]
    public void Evaluate_WarningBefore2026_IsPublished()
    {
        var d = Engine.Evaluate(Penalty("2025-06-01", "警告"));

        d.Grade.ShouldBe(PenaltyGrade.Minor);
        d.Published.ShouldBeTrue();
        d.PublishUntil.ShouldBe(D("2028-06-01"));
    }

    [Fact]
    public void Evaluate_FineAboveSummaryLimitForNaturalPersonButNotForCompany_GradesByKind()
    {
        Engine.GradeOf(Penalty("2026-06-01", "罚款", "0.1")).Grade.ShouldBe(PenaltyGrade.Minor);
        Engine.GradeOf(Penalty("2026-06-01", "罚款", "0.1", SubjectKind.NaturalPerson)).Grade.ShouldBe(PenaltyGrade.General);
        Engine.GradeOf(Penalty("2026-06-01", "罚款", "5", SubjectKind.NaturalPerson)).Grade.ShouldBe(PenaltyGrade.Serious);
    }

    [Fact]
    public void Evaluate_FinePlusConfiscationReachingThreshold_IsSerious()
    {
        var (grade, source, reasonZh, _) = Engine.GradeOf(Penalty("2026-06-01", "罚款;没收违法所得", "60", confiscated: "40"));

        grade.ShouldBe(PenaltyGrade.Serious);
        source.ShouldBe("derived");
        reasonZh.ShouldContain("100");
    }

    [Theory]
    [InlineData("严重", "serious", "2027-06-01")]
    [InlineData("轻微", "minor", "2026-06-01")]
    public void Evaluate_GradeSetByDepartment_OverridesDerivedGrade(string set, string grade, string repairFrom)
    {
        var d = Engine.Evaluate(Penalty("2026-06-01", "罚款", "2", grade: set));

        d.Grade!.Value.ToCode().ShouldBe(grade);
        d.GradeSource.ShouldBe("department");
        d.RepairFrom.ShouldBe(D(repairFrom));
    }

    [Theory]
    [InlineData("《中华人民共和国安全生产法》第九十九条", "苏州市应急管理局", "work-safety")]
    [InlineData("《中华人民共和国消防法》第六十条", "苏州市消防救援支队", "fire-safety")]
    [InlineData("《中华人民共和国特种设备安全法》第八十四条", "苏州市市场监督管理局", "special-equipment")]
    [InlineData("《江苏省安全生产条例》第五十条", "昆山市住房和城乡建设局", "work-safety")]
    public void Evaluate_SectorDecisionsUnderOrder58_HaveOneYearMinimum(string basis, string authority, string sector)
    {
        var d = Engine.Evaluate(Penalty("2024-03-15", "罚款", "3", basis: basis, authority: authority));

        d.Sector.ShouldBe(sector);
        d.RepairFrom.ShouldBe(D("2025-03-15"));
        d.PublishUntil.ShouldBe(D("2027-03-15"));
    }

    [Fact]
    public void Evaluate_SectorRuleOutsideOrder58_DoesNotApply()
    {
        var d = Engine.Evaluate(Penalty("2026-06-01", "罚款", "3", basis: "《中华人民共和国安全生产法》第九十九条"));

        d.Sector.ShouldBeNull();
        d.RepairFrom.ShouldBe(D("2026-09-01"));
    }

    [Fact]
    public void Evaluate_NaturalPersonPenalty_IsWithheldByDefault()
    {
        var d = Engine.Evaluate(Penalty("2024-03-15", "罚款", "0.5", SubjectKind.NaturalPerson));

        d.Published.ShouldBeFalse();
        d.WithheldReason.ShouldBe("natural-person");
        d.RepairFrom.ShouldBe(D("2024-06-15"));
    }

    [Fact]
    public void Evaluate_DeclaredPublicityEnd_ShortensButNeverExtends()
    {
        Engine.Evaluate(Penalty("2024-03-15", "罚款", "3", declaredEnd: "2025-03-14")).PublishUntil.ShouldBe(D("2025-03-15"));
        Engine.Evaluate(Penalty("2024-03-15", "罚款", "3", declaredEnd: "2030-01-01")).PublishUntil.ShouldBe(D("2027-03-15"));
    }

    [Fact]
    public void VisibleOn_LastDayShownAndFirstDayGone()
    {
        var d = Engine.Evaluate(Penalty("2026-04-01", "罚款", "5"));

        d.VisibleOn(D("2026-03-31")).ShouldBeFalse();
        d.VisibleOn(D("2026-04-01")).ShouldBeTrue();
        d.VisibleOn(D("2027-03-31")).ShouldBeTrue();
        d.VisibleOn(D("2027-04-01")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("2024-12-17", "2024-12-18")]
    [InlineData("2099-12-31", null)]
    public void Evaluate_Licence_PublishedUntilValidityEnds(string validTo, string? until)
    {
        var fields = new Dictionary<string, string> { ["XK_YXQZ"] = "2020-12-18", ["XK_YXQZI"] = validTo };
        var d = Engine.Evaluate(new PublicationInput("licence", SubjectKind.LegalPerson, D("2020-12-18"), fields));

        d.Published.ShouldBeTrue();
        d.Grade.ShouldBeNull();
        d.RepairFrom.ShouldBeNull();
        d.PublishUntil.ShouldBe(until is null ? null : D(until));
    }

    [Fact]
    public void Evaluate_NaturalPersonLicence_IsPublishedByDefault()
    {
        var fields = new Dictionary<string, string> { ["XK_YXQZI"] = "2099-12-31" };
        Engine.Evaluate(new PublicationInput("licence", SubjectKind.NaturalPerson, D("2025-01-02"), fields)).Published.ShouldBeTrue();
    }

    [Fact]
    public void Parse_ConfigurationWithMaxBelowMin_IsRejected()
    {
        const string json = """
            { "version": "t", "grading": { "minorKinds": [], "seriousKinds": [] },
              "ruleSets": [ { "id": "x", "effectiveFrom": "2000-01-01",
                "penalty": { "grades": { "minor": { "published": true, "minMonths": 3, "maxMonths": 1 },
                                         "general": { "published": true, "minMonths": 3, "maxMonths": 12 },
                                         "serious": { "published": true, "minMonths": 6, "maxMonths": 36 } } } } ] }
            """;
        Should.Throw<InvalidDataException>(() => PublicationRules.Parse(json)).Message.ShouldContain("minor");
    }

    [Fact]
    public void Parse_EditedConfiguration_ChangesPeriodsWithoutCode()
    {
        const string json = """
            { "version": "t", "naturalPersons": { "penalty": true, "licence": true },
              "grading": { "minorKinds": ["警告"], "seriousKinds": [] },
              "ruleSets": [ { "id": "local", "effectiveFrom": "2000-01-01",
                "penalty": { "grades": { "minor": { "published": true, "minMonths": 1, "maxMonths": 2 },
                                         "general": { "published": true, "minMonths": 1, "maxMonths": 2 },
                                         "serious": { "published": true, "minMonths": 1, "maxMonths": 2 } } } } ] }
            """;
        var engine = new PublicationEngine(PublicationRules.Parse(json));
        var d = engine.Evaluate(Penalty("2024-01-10", "罚款", "9", SubjectKind.NaturalPerson));

        d.Published.ShouldBeTrue();
        d.RuleSetId.ShouldBe("local");
        d.PublishUntil.ShouldBe(D("2024-03-10"));
    }
}
