using System.Globalization;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Objections;

namespace Xinyong.Core.Tests.Objections;

public sealed class ObjectionTests
{
    private static readonly DueProcessRules Rules = DueProcessRules.LoadDefault();
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.LoadDefault();
    private const long Market = 7;
    private const long Transport = 9;
    private static readonly Handler Officer = Handler.ForDepartment("scjg", Market);
    private static readonly Handler OtherOfficer = Handler.ForDepartment("jtj", Transport);
    private static readonly Handler CreditOffice = Handler.ForCreditOffice("admin");
    private static readonly DateTime Now = new(2026, 11, 20, 2, 0, 0, DateTimeKind.Utc);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Objection Filed(string today = "2026-11-20", ObjectionTargetKind kind = ObjectionTargetKind.Record) => Objection.File(
        new ObjectionFiling(1, kind, 42, Market, "public", "王经理", "0512-55550000", "罚款金额应为 0.3 万元，不是 3 万元", "public:91320583MA1XXXXX"),
        Rules, Calendar, Now, D(today));

    private static Objection Verified()
    {
        var o = Filed();
        o.Acknowledge(Officer, Now);
        o.Verify(Officer, Now, "与执法档案比对，金额录入有误");
        return o;
    }

    private static RefusedException Refused(Action action) => Should.Throw<RefusedException>(action);

    [Fact]
    public void File_SetsDeadlinesFromTheRuleSetInForce_AndIsOpen()
    {
        var o = Filed("2026-11-20");
        o.Status.ShouldBe(ObjectionStatus.Filed);
        o.IsOpen.ShouldBeTrue();
        o.RuleSetId.ShouldBe("2026-repair");
        // Fri 20 Nov: 3 working days -> Wed 25 Nov; +10 -> Wed 9 Dec; +5 -> Wed 16 Dec.
        (o.AcknowledgeBy, o.VerifyBy, o.DecideBy).ShouldBe((D("2026-11-25"), D("2026-12-09"), D("2026-12-16")));
        o.NextDeadline.ShouldBe(D("2026-11-25"));
    }

    [Fact]
    public void File_WithoutClaimOrContact_IsRefusedNamingWhatIsMissing()
    {
        var e = Refused(() => Objection.File(new ObjectionFiling(1, ObjectionTargetKind.Record, 42, Market, "public", "王经理", "123", " ", "x"), Rules, Calendar, Now, D("2026-11-20")));
        e.Code.ShouldBe("claim_required");
        e.Zh.ShouldContain("异议");
        Refused(() => Objection.File(new ObjectionFiling(1, ObjectionTargetKind.Record, 42, Market, "public", "", "123", "wrong", "x"), Rules, Calendar, Now, D("2026-11-20")))
            .Code.ShouldBe("contact_required");
        Refused(() => Objection.File(new ObjectionFiling(1, ObjectionTargetKind.Record, 42, Market, "public", "王", "", "wrong", "x"), Rules, Calendar, Now, D("2026-11-20")))
            .Code.ShouldBe("phone_required");
    }

    [Fact]
    public void Acknowledge_Verify_Decide_MoveThroughEveryState()
    {
        var o = Filed();
        o.Acknowledge(Officer, Now);
        o.Status.ShouldBe(ObjectionStatus.Acknowledged);
        o.AcknowledgedBy.ShouldBe("scjg");
        o.NextDeadline.ShouldBe(o.VerifyBy);
        o.Verify(Officer, Now.AddHours(1), "金额录入有误");
        o.Status.ShouldBe(ObjectionStatus.Verified);
        o.NextDeadline.ShouldBe(o.DecideBy);
        o.Decide(Officer, Now.AddHours(2), ObjectionOutcome.Upheld, null, [new FieldCorrection("CF_NR_FK", "3", "0.3")], withdraw: false);
        o.Status.ShouldBe(ObjectionStatus.Decided);
        o.IsOpen.ShouldBeFalse();
        o.Outcome.ShouldBe(ObjectionOutcome.Upheld);
        o.Corrections.ShouldBe([new FieldCorrection("CF_NR_FK", "3", "0.3")]);
        o.NextDeadline.ShouldBeNull();
    }

    [Fact]
    public void Decide_Twice_IsRefused()
    {
        var o = Verified();
        o.Decide(Officer, Now, ObjectionOutcome.Rejected, "执法档案显示金额无误", null, withdraw: false);
        var e = Refused(() => o.Decide(Officer, Now, ObjectionOutcome.Upheld, null, [new FieldCorrection("CF_NR_FK", "3", "0.3")], withdraw: false));
        e.Code.ShouldBe("already_decided");
        e.Zh.ShouldContain("不能重复决定");
        e.Kind.ShouldBe(RefusalKind.Conflict);
        o.Outcome.ShouldBe(ObjectionOutcome.Rejected);
    }

    [Fact]
    public void Steps_OutOfOrder_AreRefused()
    {
        var o = Filed();
        Refused(() => o.Verify(Officer, Now, "x")).Code.ShouldBe("wrong_state");
        Refused(() => o.Decide(Officer, Now, ObjectionOutcome.Rejected, "x", null, false)).Code.ShouldBe("wrong_state");
        o.Acknowledge(Officer, Now);
        Refused(() => o.Acknowledge(Officer, Now)).Code.ShouldBe("wrong_state");
        Refused(() => o.Decide(Officer, Now, ObjectionOutcome.Rejected, "x", null, false)).Code.ShouldBe("wrong_state");
        Refused(() => o.Verify(Officer, Now, " ")).Code.ShouldBe("note_required");
        o.Status.ShouldBe(ObjectionStatus.Acknowledged);
    }

    [Fact]
    public void AnotherDepartment_MayNotHandle_ButTheCreditOfficeMay()
    {
        var o = Filed();
        var e = Refused(() => o.Acknowledge(OtherOfficer, Now));
        e.Code.ShouldBe("not_your_department");
        e.Kind.ShouldBe(RefusalKind.Forbidden);
        e.Zh.ShouldContain("谁认定谁修复");
        o.Acknowledge(CreditOffice, Now);
        Refused(() => o.Verify(OtherOfficer, Now, "x")).Code.ShouldBe("not_your_department");
        o.Verify(Officer, Now, "核查完毕");
        Refused(() => o.Decide(OtherOfficer, Now, ObjectionOutcome.Rejected, "无误", null, false)).Code.ShouldBe("not_your_department");
        o.Status.ShouldBe(ObjectionStatus.Verified);
    }

    [Fact]
    public void Decide_Upheld_NeedsCorrectionsOrWithdrawal_NotBoth()
    {
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.Upheld, null, [], false)).Code.ShouldBe("correction_required");
        // A "correction" to the same value is no correction.
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.Upheld, null, [new FieldCorrection("CF_NR_FK", "3", "3")], false)).Code.ShouldBe("correction_required");
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.Upheld, null, [new FieldCorrection("CF_NR_FK", "3", "0.3")], true)).Code.ShouldBe("withdraw_or_correct");
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.Upheld, null, [new FieldCorrection("CF_NR_FK", "3", "0.3"), new FieldCorrection("CF_NR_FK", "3", "0.4")], false))
            .Code.ShouldBe("duplicate_field");
        var o = Verified();
        o.Decide(Officer, Now, ObjectionOutcome.Upheld, "主体认定错误", null, withdraw: true);
        o.Withdraw.ShouldBeTrue();
    }

    [Fact]
    public void Decide_PartlyUpheld_NeedsCorrectionsAndReasons()
    {
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.PartlyUpheld, "其余无误", [], false)).Code.ShouldBe("correction_required");
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.PartlyUpheld, "", [new FieldCorrection("CF_NR_FK", "3", "0.3")], false)).Code.ShouldBe("reasons_required");
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.PartlyUpheld, "其余无误", [new FieldCorrection("CF_NR_FK", "3", "0.3")], true)).Code.ShouldBe("withdraw_partly");
        var o = Verified();
        o.Decide(Officer, Now, ObjectionOutcome.PartlyUpheld, "违法事实认定无误", [new FieldCorrection("CF_NR_FK", "3", "0.3")], false);
        o.Outcome.ShouldBe(ObjectionOutcome.PartlyUpheld);
        o.Reasons.ShouldBe("违法事实认定无误");
    }

    [Fact]
    public void Decide_Rejected_NeedsReasonsAndChangesNothing()
    {
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.Rejected, " ", null, false)).Code.ShouldBe("reasons_required");
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.Rejected, "无误", [new FieldCorrection("CF_NR_FK", "3", "0.3")], false)).Code.ShouldBe("rejected_with_changes");
        Refused(() => Verified().Decide(Officer, Now, ObjectionOutcome.Rejected, "无误", null, true)).Code.ShouldBe("rejected_with_changes");
    }

    [Fact]
    public void Decide_CorrectionOfACheckResult_IsRefused()
    {
        var o = Filed(kind: ObjectionTargetKind.CheckResult);
        o.Acknowledge(Officer, Now);
        o.Verify(Officer, Now, "x");
        Refused(() => o.Decide(Officer, Now, ObjectionOutcome.Upheld, null, [new FieldCorrection("result", "fail", "pass")], false)).Code.ShouldBe("correction_not_possible");
    }

    [Fact]
    public void Escalate_OnlyWhenOverdue_AndOnlyOnce()
    {
        var o = Filed("2026-11-20");
        o.IsOverdue(D("2026-11-25")).ShouldBeFalse();
        o.Escalate(D("2026-11-25")).ShouldBeFalse();
        o.IsOverdue(D("2026-11-26")).ShouldBeTrue();
        o.Escalate(D("2026-11-26")).ShouldBeTrue();
        o.EscalatedOn.ShouldBe(D("2026-11-26"));
        o.Escalate(D("2026-11-27")).ShouldBeFalse();
        o.EscalatedOn.ShouldBe(D("2026-11-26"));
    }

    [Fact]
    public void Restore_GivesBackTheSameState_AndKeepsRefusing()
    {
        var o = Verified();
        o.Decide(Officer, Now, ObjectionOutcome.Rejected, "无误", null, false);
        var copy = Objection.Restore(new ObjectionSnapshot
        {
            Id = 5, SubjectId = o.SubjectId, TargetKind = o.TargetKind, TargetId = o.TargetId, DepartmentId = o.DepartmentId, Status = o.Status,
            DecidedAt = o.DecidedAt, Outcome = o.Outcome, Reasons = o.Reasons, FiledOn = o.FiledOn, DecideBy = o.DecideBy,
        });
        copy.Id.ShouldBe(5);
        Refused(() => copy.Decide(Officer, Now, ObjectionOutcome.Rejected, "无误", null, false)).Code.ShouldBe("already_decided");
        Should.Throw<InvalidOperationException>(() => copy.AssignId(6));
    }
}
