using System.Text;
using Xinyong.Core.Calendar;

namespace Xinyong.Core.Tests.Calendar;

public class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.LoadDefault();

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void CoveredYears_DefaultData_Covers2019Through2026()
    {
        Calendar.CoveredYears.First.ShouldBeLessThanOrEqualTo(2019);
        Calendar.CoveredYears.Last.ShouldBeGreaterThanOrEqualTo(2026);
    }

    [Theory]
    [InlineData("2025-10-01")]
    [InlineData("2025-10-02")]
    [InlineData("2025-10-03")]
    [InlineData("2025-10-04")]
    [InlineData("2025-10-05")]
    [InlineData("2025-10-06")]
    [InlineData("2025-10-07")]
    [InlineData("2025-10-08")]
    public void IsWorkingDay_NationalDay2025_IsHoliday(string date)
    {
        Calendar.IsWorkingDay(D(date)).ShouldBeFalse();
        Calendar.HolidayName(D(date)).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("2025-09-28")] // Sunday
    [InlineData("2025-10-11")] // Saturday
    public void IsWorkingDay_NationalDay2025AdjustedWeekend_IsWorkingDay(string date)
    {
        D(date).DayOfWeek.ShouldBeOneOf(DayOfWeek.Saturday, DayOfWeek.Sunday);
        Calendar.IsWorkingDay(D(date)).ShouldBeTrue();
        Calendar.HolidayName(D(date)).ShouldBeNull();
    }

    [Theory]
    [InlineData("2025-09-30", true)]
    [InlineData("2025-10-09", true)]
    [InlineData("2025-10-12", false)] // ordinary Sunday after the adjusted Saturday
    [InlineData("2025-09-27", false)] // ordinary Saturday before the adjusted Sunday
    public void IsWorkingDay_AroundNationalDay2025_MatchesOfficialNotice(string date, bool expected)
    {
        Calendar.IsWorkingDay(D(date)).ShouldBe(expected);
    }

    [Fact]
    public void HolidayName_NationalDay2025_NamesFestivals()
    {
        Calendar.HolidayName(D("2025-10-01")).ShouldBe("国庆节");
        Calendar.HolidayName(D("2025-10-06")).ShouldBe("中秋节");
        Calendar.HolidayName(D("2025-10-09")).ShouldBeNull();
    }

    [Fact]
    public void IsWorkingDay_SpringFestival2026_NineDaysOffWithTwoAdjustedSaturdays()
    {
        for (var day = D("2026-02-15"); day <= D("2026-02-23"); day = day.AddDays(1))
        {
            Calendar.IsWorkingDay(day).ShouldBeFalse(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            Calendar.HolidayName(day).ShouldBe("春节");
        }

        Calendar.IsWorkingDay(D("2026-02-13")).ShouldBeTrue();
        Calendar.IsWorkingDay(D("2026-02-14")).ShouldBeTrue(); // Saturday
        Calendar.IsWorkingDay(D("2026-02-24")).ShouldBeTrue();
        Calendar.IsWorkingDay(D("2026-02-28")).ShouldBeTrue(); // Saturday
        Calendar.IsWorkingDay(D("2026-03-01")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("2025-09-30", "2025-10-09", 1)] // last day before the holiday to the first day after it
    [InlineData("2025-09-26", "2025-10-10", 5)] // 09-28, 09-29, 09-30, 10-09, 10-10
    [InlineData("2025-10-01", "2025-10-08", 0)] // entirely inside the holiday
    [InlineData("2025-09-30", "2025-10-16", 7)]
    public void WorkingDaysBetween_AcrossNationalDay2025_CountsOnlyWorkingDays(string from, string to, int expected)
    {
        Calendar.WorkingDaysBetween(D(from), D(to)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("2025-10-09", "2025-10-09")]
    [InlineData("2025-10-10", "2025-10-09")]
    [InlineData("2030-01-10", "2019-01-10")]
    public void WorkingDaysBetween_ToNotAfterFrom_ReturnsZero(string from, string to)
    {
        Calendar.WorkingDaysBetween(D(from), D(to)).ShouldBe(0);
    }

    [Fact]
    public void WorkingDaysBetween_DecisionThenNextWorkingDay_IsOne()
    {
        // Friday before the adjusted Saturday 2025-10-11.
        Calendar.WorkingDaysBetween(D("2025-10-10"), D("2025-10-11")).ShouldBe(1);
        // Friday to Monday over an ordinary weekend.
        Calendar.WorkingDaysBetween(D("2025-10-17"), D("2025-10-20")).ShouldBe(1);
    }

    [Theory]
    [InlineData("2025-10-09", 2, "2025-10-11")] // Thu + 2 lands on the adjusted working Saturday
    [InlineData("2025-10-09", 3, "2025-10-13")]
    [InlineData("2026-02-13", 1, "2026-02-14")] // Fri + 1 is the adjusted Saturday before Spring Festival
    [InlineData("2026-02-13", 2, "2026-02-24")]
    [InlineData("2025-10-09", 0, "2025-10-09")]
    [InlineData("2025-10-04", 0, "2025-10-04")] // 0 returns the start even on a holiday
    public void AddWorkingDays_AcrossAdjustedWorkingWeekend_LandsOnExpectedDate(string from, int days, string expected)
    {
        Calendar.AddWorkingDays(D(from), days).ShouldBe(D(expected));
    }

    [Fact]
    public void AddWorkingDays_SevenDayPublicationDeadlineOverNationalDay_IsOctober16()
    {
        // A penalty decided on 2025-09-30 must be published within 7 working days.
        var decided = D("2025-09-30");

        var deadline = Calendar.AddWorkingDays(decided, 7);

        deadline.ShouldBe(D("2025-10-16"));
        Calendar.WorkingDaysBetween(decided, deadline).ShouldBe(7);
        Calendar.WorkingDaysBetween(decided, D("2025-10-17")).ShouldBe(8); // one day late
    }

    [Fact]
    public void AddWorkingDays_NegativeDays_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(D("2025-10-09"), -1));
    }

    [Theory]
    [InlineData("1990-10-01", true)] // a Monday before the covered years
    [InlineData("1990-10-06", false)]
    [InlineData("2100-10-01", true)] // a Friday after the covered years
    [InlineData("2100-10-02", false)]
    public void IsWorkingDay_OutsideCoveredYears_FallsBackToMondayToFriday(string date, bool expected)
    {
        Calendar.IsWorkingDay(D(date)).ShouldBe(expected);
        Calendar.HolidayName(D(date)).ShouldBeNull();
    }

    [Theory]
    [InlineData("2018-12-01", "2019-03-01")]
    [InlineData("2025-09-01", "2025-11-01")]
    [InlineData("2026-12-01", "2027-02-01")] // runs off the end of the data
    [InlineData("1999-12-01", "2004-03-01")] // runs into the start of the data
    public void WorkingDaysBetween_AnySpan_MatchesDayByDayCountAndInvertsAddWorkingDays(string first, string last)
    {
        for (var from = D(first); from <= D(last); from = from.AddDays(3))
        {
            var expected = 0;
            for (var to = from.AddDays(1); to <= D(last); to = to.AddDays(1))
            {
                if (Calendar.IsWorkingDay(to))
                {
                    expected++;
                    Calendar.AddWorkingDays(from, expected).ShouldBe(to);
                }

                Calendar.WorkingDaysBetween(from, to).ShouldBe(expected);
            }
        }
    }

    [Fact]
    public void FromJson_SmallCalendar_UsesItsDaysAndFallsBackOutsideIt()
    {
        const string json = """
            {"years":{"2030":{"holidays":{"2030-01-01":"元旦"},"workdays":{"2030-01-05":"元旦调休"}}}}
            """;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var calendar = WorkingDayCalendar.FromJson(stream);

        calendar.CoveredYears.ShouldBe((2030, 2030));
        calendar.IsWorkingDay(D("2030-01-01")).ShouldBeFalse(); // Tuesday holiday
        calendar.IsWorkingDay(D("2030-01-05")).ShouldBeTrue(); // adjusted Saturday
        calendar.HolidayName(D("2030-01-01")).ShouldBe("元旦");
        calendar.WorkingDaysBetween(D("2029-12-31"), D("2030-01-06")).ShouldBe(4); // 01-02..01-05
        calendar.IsWorkingDay(D("2031-01-01")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"years":{"2030":{"workdays":{"2030-01-02":"x"}}}}""")] // adjusted working day on a Wednesday
    [InlineData("""{"years":{"2030":{"holidays":{"2031-01-01":"元旦"}}}}""")] // date in the wrong year
    [InlineData("""{"years":{"2029":{},"2031":{}}}""")] // gap
    [InlineData("""{"years":{}}""")]
    [InlineData("""{"holidays":{}}""")]
    [InlineData("""not json""")]
    public void FromJson_InvalidData_ThrowsInvalidDataException(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        Should.Throw<InvalidDataException>(() => WorkingDayCalendar.FromJson(stream));
    }
}
