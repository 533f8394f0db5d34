using System.Globalization;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;

namespace Xinyong.Core.Tests.Repair;

/// <summary>Deadlines across the 2026 National Day holiday (1-7 Oct) and its adjusted working Saturday (10 Oct).</summary>
public sealed class DueProcessDeadlineTests
{
    private static readonly DueProcessRules Rules = DueProcessRules.LoadDefault();
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.LoadDefault();

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void CalendarData_HasTheHolidayAndTheWorkingSaturday()
    {
        Calendar.HolidayName(D("2026-10-05")).ShouldBe("国庆节");
        D("2026-10-10").DayOfWeek.ShouldBe(DayOfWeek.Saturday);
        Calendar.IsWorkingDay(D("2026-10-10")).ShouldBeTrue();
        Calendar.IsWorkingDay(D("2026-10-11")).ShouldBeFalse();
    }

    [Fact]
    public void Objection_FiledTheDayBeforeNationalDay_SkipsTheHoliday_AndCountsTheWorkingSaturday()
    {
        var d = DueProcessDeadlines.ForObjection(Rules.RuleSetOn(D("2026-09-30")), Calendar, D("2026-09-30"));
        // 8 Oct (Thu), 9 Oct (Fri), 10 Oct (adjusted working Saturday).
        d.AcknowledgeBy.ShouldBe(D("2026-10-10"));
        // 12-16 Oct, 19-23 Oct.
        d.VerifyBy.ShouldBe(D("2026-10-23"));
        d.DecideBy.ShouldBe(D("2026-10-30"));
    }

    [Fact]
    public void Objection_FiledDuringTheHoliday_StartsCountingOnTheFirstWorkingDay()
    {
        var d = DueProcessDeadlines.ForObjection(Rules.RuleSetOn(D("2026-10-03")), Calendar, D("2026-10-03"));
        d.AcknowledgeBy.ShouldBe(D("2026-10-10"));
    }

    [Fact]
    public void Objection_FiledOnTheWorkingSaturday_CountsFromTheNextWorkingDay()
    {
        var d = DueProcessDeadlines.ForObjection(Rules.RuleSetOn(D("2026-10-10")), Calendar, D("2026-10-10"));
        d.AcknowledgeBy.ShouldBe(D("2026-10-14"));
    }

    [Fact]
    public void Repair_TenWorkingDays_AcrossNationalDay()
    {
        var d = DueProcessDeadlines.ForRepair(Rules.RuleSetOn(D("2026-09-30")), Calendar, D("2026-09-30"));
        d.AcceptBy.ShouldBe(D("2026-10-10"));
        // 8, 9, 10, 12, 13, 14, 15, 16, 19, 20 Oct.
        d.DecideBy.ShouldBe(D("2026-10-20"));
        Calendar.WorkingDaysBetween(D("2026-09-30"), d.DecideBy).ShouldBe(10);
    }

    [Fact]
    public void Repair_DecideDays_IsTenUnderBothRuleSets()
    {
        Rules.RuleSetOn(D("2026-03-31")).Id.ShouldBe("2023-order58");
        Rules.RuleSetOn(D("2026-04-01")).Id.ShouldBe("2026-repair");
        Rules.RuleSetOn(D("2026-03-31")).Repair.DecideWorkingDays.ShouldBe(10);
        Rules.RuleSetOn(D("2026-04-01")).Repair.DecideWorkingDays.ShouldBe(10);
        Rules.RuleSetOn(D("2026-03-31")).Repair.MinorGradeImmediate.ShouldBeFalse();
        Rules.RuleSetOn(D("2026-04-01")).Repair.MinorGradeImmediate.ShouldBeTrue();
    }

    [Fact]
    public void Rules_AreConfigurable_AndBadDataIsRefused()
    {
        const string json = """
            {"version":"t","ruleSets":[{"id":"x","effectiveFrom":"2020-01-01",
              "objection":{"acknowledgeWorkingDays":1,"verifyWorkingDays":2,"decideWorkingDays":1},
              "repair":{"acceptWorkingDays":1,"decideWorkingDays":5,"reapplyAfterDays":0,"minorGradeImmediate":true,"requiresObligationsPerformed":true,"requiresCommitment":false}}]}
            """;
        var rules = DueProcessRules.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        DueProcessDeadlines.ForRepair(rules.RuleSetOn(D("2026-09-30")), Calendar, D("2026-09-30")).DecideBy.ShouldBe(D("2026-10-13"));
        Should.Throw<InvalidDataException>(() => DueProcessRules.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.Replace("\"decideWorkingDays\":5", "\"decideWorkingDays\":0", StringComparison.Ordinal)))));
        Should.Throw<InvalidDataException>(() => DueProcessRules.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"ruleSets\":[]}"))));
        Should.Throw<InvalidDataException>(() => DueProcessRules.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{not json"))));
    }
}
