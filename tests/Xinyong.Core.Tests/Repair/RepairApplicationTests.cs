using System.Globalization;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Publication;
using Xinyong.Core.Repair;

namespace Xinyong.Core.Tests.Repair;

public sealed class RepairApplicationTests
{
    private static readonly DueProcessRules Rules = DueProcessRules.LoadDefault();
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.LoadDefault();
    private static readonly PublicationEngine Engine = new(PublicationRules.LoadDefault());
    private const long Market = 7;
    private static readonly Handler Officer = Handler.ForDepartment("scjg", Market);
    private static readonly Handler OtherOfficer = Handler.ForDepartment("jtj", 9);
    private static readonly Handler CreditOffice = Handler.ForCreditOffice("admin");
    private static readonly DateTime Now = new(2026, 11, 20, 2, 0, 0, DateTimeKind.Utc);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static RepairRequest Request(bool obligations = true, bool commitment = true, string note = "罚款已于 2026-07-01 缴清") =>
        new(1, 42, Market, "public", "王经理", "0512-55550000", obligations, note, commitment, "public:contact");

    /// <summary>Eligibility straight from the publication engine's decision for a penalty.</summary>
    private static RepairEligibility FromEngine(string decisionDate, string kinds, string? fine = null, string? grade = null)
    {
        var fields = new Dictionary<string, string> { ["CF_CFLB"] = kinds, ["CF_YJ"] = "《中华人民共和国食品安全法》第一百二十四条", ["CF_CFJG"] = "昆山市市场监督管理局" };
        if (fine is not null) fields["CF_NR_FK"] = fine;
        if (grade is not null) fields["CF_YZCD"] = grade;
        var d = Engine.Evaluate(new PublicationInput("penalty", Xinyong.Core.Subjects.SubjectKind.LegalPerson, D(decisionDate), fields));
        return new RepairEligibility(D(decisionDate), d.Grade, d.RepairFrom, null, null, false);
    }

    private static RepairApplication Submitted(string today = "2026-11-20") =>
        RepairApplication.Submit(Request(), FromEngine("2026-06-01", "罚款", "2"), Rules, Calendar, Now, D(today));

    private static RefusedException Refused(Action action) => Should.Throw<RefusedException>(action);

    [Fact]
    public void Submit_AfterTheMinimumPeriod_IsSubmittedWithTenWorkingDays()
    {
        var a = Submitted("2026-11-20");
        a.Status.ShouldBe(RepairStatus.Submitted);
        a.RuleSetId.ShouldBe("2026-repair");
        // 一般 grade decided 2026-06-01: minimum 3 months.
        a.EarliestRepairDate.ShouldBe(D("2026-09-01"));
        a.AcceptBy.ShouldBe(D("2026-11-25"));
        Calendar.WorkingDaysBetween(D("2026-11-20"), a.DecideBy).ShouldBe(10);
        a.NextDeadline.ShouldBe(a.AcceptBy);
    }

    [Fact]
    public void Submit_BeforeTheMinimumPeriod_IsRefusedWithTheDate()
    {
        var e = Refused(() => RepairApplication.Submit(Request(), FromEngine("2026-06-01", "罚款", "2"), Rules, Calendar, Now, D("2026-08-31")));
        e.Code.ShouldBe("too_early");
        e.Kind.ShouldBe(RefusalKind.TooEarly);
        e.Zh.ShouldBe("最短公示期未满，可于 2026-09-01 起申请信用修复");
        RepairApplication.Submit(Request(), FromEngine("2026-06-01", "罚款", "2"), Rules, Calendar, Now, D("2026-09-01")).Status.ShouldBe(RepairStatus.Submitted);
    }

    [Fact]
    public void Submit_SeriousGradeUnder2026Rules_WaitsOneYear()
    {
        var serious = FromEngine("2026-05-10", "吊销许可证件");
        Refused(() => RepairApplication.Submit(Request(), serious, Rules, Calendar, Now, D("2027-05-09"))).Zh.ShouldContain("2027-05-10");
        RepairApplication.Submit(Request(), serious, Rules, Calendar, Now, D("2027-05-10")).EarliestRepairDate.ShouldBe(D("2027-05-10"));
    }

    [Fact]
    public void Submit_MinorGrade_IsImmediateUnderThe2026Rules_ButNotUnderOrder58()
    {
        // Decided under order 58 (3-month minimum), graded 轻微 by the department.
        var minor = FromEngine("2026-02-10", "警告", grade: "轻微");
        minor.RepairFrom.ShouldBe(D("2026-05-10"));
        // Applied for while order 58 was in force: still the minimum period.
        Refused(() => RepairApplication.Submit(Request(), minor, Rules, Calendar, Now, D("2026-03-20"))).Code.ShouldBe("too_early");
        // From 2026-04-01 the new measures allow repair as soon as the obligation is met.
        var a = RepairApplication.Submit(Request(), minor, Rules, Calendar, Now, D("2026-04-02"));
        a.EarliestRepairDate.ShouldBe(D("2026-02-10"));
        a.RuleSetId.ShouldBe("2026-repair");
        // ... but only once the obligation is met.
        Refused(() => RepairApplication.Submit(Request(obligations: false), minor, Rules, Calendar, Now, D("2026-04-02"))).Code.ShouldBe("obligations_not_met");
    }

    [Fact]
    public void Submit_WithoutCommitmentOrProof_IsRefused()
    {
        var ok = FromEngine("2026-06-01", "罚款", "2");
        Refused(() => RepairApplication.Submit(Request(commitment: false), ok, Rules, Calendar, Now, D("2026-11-20"))).Code.ShouldBe("commitment_missing");
        Refused(() => RepairApplication.Submit(Request(obligations: false), ok, Rules, Calendar, Now, D("2026-11-20"))).Code.ShouldBe("obligations_not_met");
        Refused(() => RepairApplication.Submit(Request(note: " "), ok, Rules, Calendar, Now, D("2026-11-20"))).Code.ShouldBe("obligations_note_required");
    }

    [Fact]
    public void Submit_ForAnEndedRecord_AnOpenApplication_OrBeforeTheReapplyDate_IsRefused()
    {
        var ok = FromEngine("2026-06-01", "罚款", "2");
        Refused(() => RepairApplication.Submit(Request(), ok with { EndedReason = "repaired" }, Rules, Calendar, Now, D("2026-11-20"))).Code.ShouldBe("already_ended");
        Refused(() => RepairApplication.Submit(Request(), ok with { HasOpenApplication = true }, Rules, Calendar, Now, D("2026-11-20"))).Code.ShouldBe("already_open");
        var e = Refused(() => RepairApplication.Submit(Request(), ok with { ReapplyFrom = D("2026-12-01") }, Rules, Calendar, Now, D("2026-11-20")));
        e.Code.ShouldBe("reapply_too_early");
        e.Zh.ShouldContain("2026-12-01");
        Refused(() => RepairApplication.Submit(Request(), ok with { RepairFrom = null }, Rules, Calendar, Now, D("2026-11-20"))).Code.ShouldBe("not_repairable");
    }

    [Fact]
    public void Accept_Then_Approve()
    {
        var a = Submitted();
        a.Accept(Officer, Now);
        a.Status.ShouldBe(RepairStatus.Accepted);
        a.NextDeadline.ShouldBe(a.DecideBy);
        a.Approve(Officer, Now.AddHours(1));
        a.Status.ShouldBe(RepairStatus.Approved);
        a.IsOpen.ShouldBeFalse();
        a.DecidedBy.ShouldBe("scjg");
    }

    [Fact]
    public void Approve_BeforeAcceptance_OrTwice_IsRefused()
    {
        var a = Submitted();
        Refused(() => a.Approve(Officer, Now)).Code.ShouldBe("wrong_state");
        a.Accept(Officer, Now);
        Refused(() => a.Accept(Officer, Now)).Code.ShouldBe("wrong_state");
        a.Approve(Officer, Now);
        Refused(() => a.Approve(Officer, Now)).Code.ShouldBe("already_decided");
        Refused(() => a.Reject(Officer, Now, D("2026-11-20"), "x", Rules)).Code.ShouldBe("already_decided");
    }

    [Fact]
    public void AnotherDepartment_MayNotDecide_TheCreditOfficeMay()
    {
        var a = Submitted();
        var e = Refused(() => a.Accept(OtherOfficer, Now));
        e.Code.ShouldBe("not_your_department");
        e.Kind.ShouldBe(RefusalKind.Forbidden);
        a.Accept(CreditOffice, Now);
        Refused(() => a.Approve(OtherOfficer, Now)).Code.ShouldBe("not_your_department");
        Refused(() => a.Reject(OtherOfficer, Now, D("2026-11-20"), "材料不全", Rules)).Code.ShouldBe("not_your_department");
        a.Status.ShouldBe(RepairStatus.Accepted);
    }

    [Fact]
    public void Reject_GivesReasonsAndTheDateANewApplicationIsPossible()
    {
        var a = Submitted();
        Refused(() => a.Reject(Officer, Now, D("2026-11-20"), " ", Rules)).Code.ShouldBe("reasons_required");
        Refused(() => a.Reject(Officer, Now, D("2026-11-20"), "x", Rules, D("2026-11-19"))).Code.ShouldBe("reapply_in_past");
        a.Reject(Officer, Now, D("2026-11-20"), "未提供罚款缴纳凭证", Rules);
        a.Status.ShouldBe(RepairStatus.Rejected);
        a.Reasons.ShouldBe("未提供罚款缴纳凭证");
        a.ReapplyFrom.ShouldBe(D("2026-12-20"));

        var b = Submitted();
        b.Accept(Officer, Now);
        b.Reject(Officer, Now, D("2026-11-20"), "整改未完成", Rules, D("2027-01-05"));
        b.ReapplyFrom.ShouldBe(D("2027-01-05"));
    }

    [Fact]
    public void Escalate_OnlyOverdueOnce()
    {
        var a = Submitted("2026-11-20");
        a.Escalate(a.AcceptBy).ShouldBeFalse();
        a.Escalate(a.AcceptBy.AddDays(1)).ShouldBeTrue();
        a.Escalate(a.AcceptBy.AddDays(2)).ShouldBeFalse();
    }
}
