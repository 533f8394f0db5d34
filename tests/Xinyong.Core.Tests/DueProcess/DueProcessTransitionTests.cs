using System.Globalization;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Objections;
using Xinyong.Core.Publication;
using Xinyong.Core.Repair;

namespace Xinyong.Core.Tests.DueProcess;

/// <summary>The transitions and refusals the other state-machine tests leave out, and deadlines that end on the adjusted working Saturday.</summary>
public sealed class DueProcessTransitionTests
{
    private static readonly DueProcessRules Rules = DueProcessRules.LoadDefault();
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.LoadDefault();
    private static readonly Handler Officer = Handler.ForDepartment("scjg", 7);
    private static readonly DateTime Now = new(2026, 9, 30, 2, 0, 0, DateTimeKind.Utc);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Objection File(string on, ObjectionTargetKind kind = ObjectionTargetKind.Record) => Objection.File(
        new ObjectionFiling(1, kind, 42, 7, "online", "王经理", "0512-55550000", "核查结果所依据的处罚已更正", "public:x"), Rules, Calendar, Now, D(on));

    private static RepairApplication Submit(string on) => RepairApplication.Submit(
        new RepairRequest(1, 42, 7, "online", "王经理", "0512-55550000", true, "罚款已缴清", true, "public:x"),
        new RepairEligibility(D("2024-01-10"), PenaltyGrade.General, D("2024-04-10"), null, null, false), Rules, Calendar, Now, D(on));

    [Fact]
    public void Objection_DueOnTheWorkingSaturday_IsNotOverdueThatDay_ButOnTheSunday()
    {
        var o = File("2026-09-30");
        o.AcknowledgeBy.ShouldBe(D("2026-10-10"));
        o.IsOverdue(D("2026-10-07")).ShouldBeFalse(); // the holiday is not counted
        o.IsOverdue(D("2026-10-10")).ShouldBeFalse();
        o.IsOverdue(D("2026-10-11")).ShouldBeTrue();
        o.Escalate(D("2026-10-11")).ShouldBeTrue();
    }

    [Fact]
    public void Repair_AcceptDueOnTheWorkingSaturday_EscalatesTheNextDay()
    {
        var a = Submit("2026-09-30");
        a.AcceptBy.ShouldBe(D("2026-10-10"));
        a.Escalate(D("2026-10-10")).ShouldBeFalse();
        a.Escalate(D("2026-10-12")).ShouldBeTrue();
        a.EscalatedOn.ShouldBe(D("2026-10-12"));
    }

    [Fact]
    public void RuleSet_IsTheOneInForceOnTheFilingDay()
    {
        File("2026-03-31").RuleSetId.ShouldBe("2023-order58");
        File("2026-04-01").RuleSetId.ShouldBe("2026-repair");
        Submit("2026-03-31").RuleSetId.ShouldBe("2023-order58");
        Submit("2026-04-01").RuleSetId.ShouldBe("2026-repair");
    }

    [Fact]
    public void Decide_UpheldCheckResult_SetsItAsideWithoutCorrections_ButCannotWithdrawIt()
    {
        var o = File("2026-11-20", ObjectionTargetKind.CheckResult);
        o.Acknowledge(Officer, Now);
        o.Verify(Officer, Now, "所依据的处罚记录已经异议更正");
        Should.Throw<RefusedException>(() => o.Decide(Officer, Now, ObjectionOutcome.Upheld, null, [], withdraw: true)).Code.ShouldBe("withdraw_not_possible");
        o.Decide(Officer, Now, ObjectionOutcome.Upheld, "核查结果作废，请依更正后的信息重新核查", [], withdraw: false);
        o.Status.ShouldBe(ObjectionStatus.Decided);
        o.Corrections.ShouldBeEmpty();
    }

    [Fact]
    public void Decide_BeforeVerification_IsRefused_AndVerifyNeedsANote()
    {
        var o = File("2026-11-20");
        Should.Throw<RefusedException>(() => o.Decide(Officer, Now, ObjectionOutcome.Rejected, "无误", null, false)).Code.ShouldBe("wrong_state");
        o.Acknowledge(Officer, Now);
        Should.Throw<RefusedException>(() => o.Decide(Officer, Now, ObjectionOutcome.Rejected, "无误", null, false)).Code.ShouldBe("wrong_state");
        Should.Throw<RefusedException>(() => o.Verify(Officer, Now, " ")).Code.ShouldBe("note_required");
        o.Status.ShouldBe(ObjectionStatus.Acknowledged);
    }

    [Fact]
    public void Rejected_Application_CannotBeAcceptedOrApprovedAfterwards()
    {
        var a = Submit("2026-11-20");
        a.Reject(Officer, Now, D("2026-11-20"), "材料不全，不予受理", Rules);
        Should.Throw<RefusedException>(() => a.Accept(Officer, Now)).Code.ShouldBe("already_decided");
        Should.Throw<RefusedException>(() => a.Approve(Officer, Now)).Code.ShouldBe("already_decided");
        a.IsOpen.ShouldBeFalse();
        a.NextDeadline.ShouldBeNull();
    }
}
