using Xinyong.Core.Calendar;
using Xinyong.Core.Lists;

namespace Xinyong.Core.Tests.Lists;

public sealed class ListEntryTests
{
    private static readonly ListTypeCatalogue Types = ListTypeCatalogue.LoadDefault();
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.LoadDefault();
    private static readonly DateOnly Day = new(2026, 11, 20); // a Friday
    private static ListType Market => Types.Find("serious-dishonesty-market", Day)!;

    private static ListProposal Proposal(string? basis = "《市场监督管理严重违法失信名单管理办法》第二条", string? grounds = "生产销售不符合食品安全标准的食品，情节严重",
        string? evidence = "昆市监处罚〔2026〕118号") => new("serious-dishonesty-market", 7, 3, grounds, evidence, basis);

    [Fact]
    public void Propose_WithoutLegalBasis_IsRefused()
    {
        var ex = Should.Throw<ListRefusedException>(() => ListEntry.Propose(Proposal(basis: "  "), Market, "scjgj", Day));
        ex.Refusal.Code.ShouldBe("legal-basis-required");
        ex.Refusal.Field.ShouldBe("legalBasis");
        ex.Refusal.Zh.ShouldContain("依据");
    }

    [Fact]
    public void Propose_WithoutGroundsOrEvidence_IsRefused()
    {
        Should.Throw<ListRefusedException>(() => ListEntry.Propose(Proposal(grounds: ""), Market, "scjgj", Day)).Refusal.Code.ShouldBe("grounds-required");
        Should.Throw<ListRefusedException>(() => ListEntry.Propose(Proposal(evidence: null), Market, "scjgj", Day)).Refusal.Code.ShouldBe("evidence-required");
    }

    [Fact]
    public void Propose_ByADepartmentTheTypeDoesNotName_IsRefused() =>
        Should.Throw<ListRefusedException>(() => ListEntry.Propose(Proposal(), Market, "swj", Day)).Refusal.Code.ShouldBe("department-not-designating");

    [Fact]
    public void Decide_BeforeTheObjectionWindowCloses_IsRefused_AfterItIsAllowed()
    {
        var e = ListEntry.Propose(Proposal(), Market, "scjgj", Day);
        e.Notice(Day, 5, Calendar);
        e.ObjectionUntil.ShouldBe(new DateOnly(2026, 11, 27)); // five working days after Friday 20 November
        var ex = Should.Throw<ListRefusedException>(() => e.Decide(new DateOnly(2026, 11, 27), "昆市监信决〔2026〕1号"));
        ex.Refusal.Code.ShouldBe("objection-window-open");
        ex.Refusal.Zh.ShouldContain("2026-11-27");
        e.Status.ShouldBe(ListStatus.Noticed);

        e.Decide(new DateOnly(2026, 11, 30), "昆市监信决〔2026〕1号").To.ShouldBe(ListStatus.Decided);
    }

    [Fact]
    public void CloseObjectionWindow_BeforeItEnds_IsRefused_ThenRecordedOnceWithTheStatement()
    {
        var e = ListEntry.Propose(Proposal(), Market, "scjgj", Day);
        e.Notice(Day, 5, Calendar);
        Should.Throw<ListRefusedException>(() => e.CloseObjectionWindow(new DateOnly(2026, 11, 27), null)).Refusal.Code.ShouldBe("objection-window-open");

        var t = e.CloseObjectionWindow(new DateOnly(2026, 11, 30), "  当事人申辩已整改  ");
        t.Action.ShouldBe("list.objection-closed");
        e.Status.ShouldBe(ListStatus.Noticed);
        e.ObjectionClosedOn.ShouldBe(new DateOnly(2026, 11, 30));
        e.ObjectionNote.ShouldBe("当事人申辩已整改");
        Should.Throw<ListRefusedException>(() => e.CloseObjectionWindow(new DateOnly(2026, 12, 1), null)).Refusal.Code.ShouldBe("objection-window-closed");
        e.Decide(new DateOnly(2026, 12, 1), "决定1号");
        e.ObjectionNote.ShouldBe("当事人申辩已整改");
    }

    [Fact]
    public void Decide_WithoutARecordedClose_RecordsThatNothingWasReceived()
    {
        var e = ListEntry.Propose(Proposal(), Market, "scjgj", Day);
        e.Notice(Day, 5, Calendar);
        e.Decide(new DateOnly(2026, 11, 30), "决定1号");
        e.ObjectionClosedOn.ShouldBe(new DateOnly(2026, 11, 30));
        e.ObjectionNote.ShouldBe(ListEntry.NoStatement);
    }

    [Fact]
    public void Notice_OverAHoliday_WindowCountsWorkingDaysOnly()
    {
        var e = ListEntry.Propose(Proposal(), Market, "scjgj", new DateOnly(2026, 9, 29));
        e.Notice(new DateOnly(2026, 9, 30), 5, Calendar);
        // The National Day week is not counted: the window ends well after 7 October.
        e.ObjectionUntil!.Value.ShouldBeGreaterThan(new DateOnly(2026, 10, 8));
        Calendar.WorkingDaysBetween(new DateOnly(2026, 9, 30), e.ObjectionUntil.Value).ShouldBe(5);
    }

    [Fact]
    public void Lifecycle_PublishSetsThePeriod_EndStopsItTheSameDay()
    {
        var e = ListEntry.Propose(Proposal(), Market, "scjgj", Day);
        Should.Throw<ListRefusedException>(() => e.Publish(Day, Market)).Refusal.Code.ShouldBe("illegal-transition");
        e.Notice(Day, Market.ObjectionWorkingDays, Calendar);
        e.Decide(new DateOnly(2026, 12, 1), "决定1号");
        e.Publish(new DateOnly(2026, 12, 2), Market);
        e.ListedFrom.ShouldBe(new DateOnly(2026, 12, 2));
        e.ListedUntil.ShouldBe(new DateOnly(2029, 12, 2));
        e.IsActiveOn(new DateOnly(2026, 12, 1)).ShouldBeFalse();
        e.IsActiveOn(new DateOnly(2026, 12, 2)).ShouldBeTrue();
        e.IsActiveOn(new DateOnly(2029, 12, 2)).ShouldBeFalse();

        e.End(new DateOnly(2027, 12, 10), ListEndReasons.ExitConditions);
        e.Status.ShouldBe(ListStatus.Ended);
        e.IsActiveOn(new DateOnly(2027, 12, 9)).ShouldBeFalse();
        e.ListedUntil.ShouldBe(new DateOnly(2027, 12, 10));
        Should.Throw<ListRefusedException>(() => e.End(new DateOnly(2027, 12, 11), ListEndReasons.ExitConditions)).Refusal.Code.ShouldBe("illegal-transition");
    }

    [Fact]
    public void RecordDecided_ForATypeRunOnThePlatform_IsRefused()
    {
        Should.Throw<ListRefusedException>(() => ListEntry.RecordDecided(Proposal(), Market, "scjgj", "x", Day, Day, null, Day))
            .Refusal.Code.ShouldBe("procedure-required");
        var court = Types.Find("judgment-defaulter", Day)!;
        var e = ListEntry.RecordDecided(new ListProposal("judgment-defaulter", 7, 3, "有履行能力而拒不履行", "(2026)苏0583执1234号", court.LegalBasisZh),
            court, "fy", "(2026)苏0583执1234号", Day, Day, null, Day);
        e.Status.ShouldBe(ListStatus.Published);
        e.ListedUntil.ShouldBeNull();
    }

    [Fact]
    public void Suspend_OnlyRedEntries()
    {
        var e = ListEntry.Propose(Proposal(), Market, "scjgj", Day);
        e.Notice(Day, 0, Calendar);
        e.Decide(Day, "1");
        e.Publish(Day, Market);
        Should.Throw<ListRefusedException>(() => e.Suspend(Day, "black-listed")).Refusal.Code.ShouldBe("only-red-suspended");
    }
}
