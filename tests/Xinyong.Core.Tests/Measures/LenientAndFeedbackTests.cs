using Xinyong.Core.DueProcess;
using Xinyong.Core.Measures;

namespace Xinyong.Core.Tests.Measures;

public sealed class LenientAndFeedbackTests
{
    private static readonly DateOnly Day = new(2026, 12, 1);

    private static LenientRuleDraft Draft(string kind = LenientKinds.ForceMajeure, long? entry = null, string? basis = "昆信用办〔2020〕2号",
        string? reason = "疫情期间停工", DateOnly? until = null) => new(kind, 7, entry, basis, reason, Day, until ?? Day.AddMonths(3));

    [Theory]
    [InlineData("legal-basis-required")]
    [InlineData("reason-required")]
    public void Create_WithoutBasisOrReason_Refused(string code)
    {
        var d = code == "legal-basis-required" ? Draft(basis: "") : Draft(reason: " ");
        Should.Throw<RefusedException>(() => LenientRule.Create(d, Day)).Code.ShouldBe(code);
    }

    [Fact]
    public void Create_ExemptionWithoutListing_Refused() =>
        Should.Throw<RefusedException>(() => LenientRule.Create(Draft(LenientKinds.MinorExemption), Day)).Code.ShouldBe("list-entry-required");

    [Fact]
    public void Create_ForceMajeureWithoutEnd_Refused() =>
        Should.Throw<RefusedException>(() => LenientRule.Create(Draft() with { ValidUntil = null }, Day)).Code.ShouldBe("period-required");

    [Fact]
    public void Revoke_Twice_RefusedAndStopsFromThatDay()
    {
        var r = LenientRule.Create(Draft(), Day);
        r.Revoke(Day.AddDays(10), "企业已恢复生产");
        r.InEffectOn(Day.AddDays(9)).ShouldBeTrue();
        r.InEffectOn(Day.AddDays(10)).ShouldBeFalse();
        Should.Throw<RefusedException>(() => r.Revoke(Day.AddDays(11), "again")).Code.ShouldBe("already-revoked");
    }

    [Fact]
    public void Answer_AppliedWithoutAction_Refused()
    {
        var i = MeasureQueryItem.Restore(1, 1, "P-PROC-01", false, null, null, null, null);
        Should.Throw<RefusedException>(() => i.Answer(new FeedbackReport(true, " ", null), Day)).Code.ShouldBe("action-required");
        i.IsAnswered.ShouldBeFalse();
    }

    [Fact]
    public void Answer_NotAppliedWithoutReason_Refused()
    {
        var i = MeasureQueryItem.Restore(1, 1, "P-PROC-01", false, null, null, null, null);
        Should.Throw<RefusedException>(() => i.Answer(new FeedbackReport(false, null, null), Day)).Code.ShouldBe("reason-required");
    }

    [Fact]
    public void Answer_Twice_Refused()
    {
        var i = MeasureQueryItem.Restore(1, 1, "P-PROC-01", false, null, null, null, null);
        i.Answer(new FeedbackReport(true, "取消其投标资格", null), Day);
        var ex = Should.Throw<RefusedException>(() => i.Answer(new FeedbackReport(false, null, "误报"), Day));
        ex.Code.ShouldBe("already-answered");
        ex.Kind.ShouldBe(RefusalKind.Conflict);
        i.Applied.ShouldBe(true);
    }

    [Fact]
    public void Answer_WithheldMeasure_Refused()
    {
        var i = MeasureQueryItem.Restore(1, 1, "P-PROC-01", true, null, null, null, null);
        Should.Throw<RefusedException>(() => i.Answer(new FeedbackReport(false, null, "豁免"), Day)).Code.ShouldBe("measure-withheld");
    }

    [Fact]
    public void Status_UnansweredAfterDueDay_Overdue()
    {
        var open = MeasureQueryItem.Restore(1, 1, "A", false, null, null, null, null);
        var withheld = MeasureQueryItem.Restore(2, 1, "B", true, null, null, null, null);
        MeasureQueryStatus.Of([open, withheld], Day, Day).ShouldBe(MeasureQueryStatus.Open);
        MeasureQueryStatus.Of([open, withheld], Day, Day.AddDays(1)).ShouldBe(MeasureQueryStatus.Overdue);
        MeasureQueryStatus.Of([withheld], Day, Day.AddDays(30)).ShouldBe(MeasureQueryStatus.NothingToReport);
        open.Answer(new FeedbackReport(false, null, "该企业已履行完毕，名单即将移出"), Day.AddDays(3));
        MeasureQueryStatus.Of([open, withheld], Day, Day.AddDays(30)).ShouldBe(MeasureQueryStatus.Answered);
    }

    [Fact]
    public void Rules_FeedbackWorkingDays_FromDatedDataOrOverride()
    {
        MeasureRules.LoadDefault().FeedbackWorkingDays(Day).ShouldBe(10);
        MeasureRules.LoadDefault(5).FeedbackWorkingDays(Day).ShouldBe(5);
        Should.Throw<InvalidDataException>(() => MeasureRules.LoadDefault(0));
    }
}
