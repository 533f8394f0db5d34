using Xinyong.Core.Calendar;

namespace Xinyong.Core.DueProcess;

/// <summary>Objection deadlines: each step's last working day, cumulative from the day of filing.</summary>
public sealed record ObjectionDeadlines(DateOnly AcknowledgeBy, DateOnly VerifyBy, DateOnly DecideBy);

/// <summary>Repair deadlines: accept and decide, both counted in working days from the day of submission.</summary>
public sealed record RepairDeadlines(DateOnly AcceptBy, DateOnly DecideBy);

/// <summary>Deadline arithmetic for due process, always in working days of the official calendar.</summary>
public static class DueProcessDeadlines
{
    /// <summary>
    /// Counting starts the working day after filing (a case filed on a Saturday or during a holiday gets its first day on
    /// the next working day), and each step's time adds to the previous step's deadline.
    /// </summary>
    public static ObjectionDeadlines ForObjection(DueProcessRuleSet rules, WorkingDayCalendar calendar, DateOnly filedOn)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(calendar);
        var acknowledge = calendar.AddWorkingDays(filedOn, rules.Objection.AcknowledgeWorkingDays);
        var verify = calendar.AddWorkingDays(acknowledge, rules.Objection.VerifyWorkingDays);
        var decide = calendar.AddWorkingDays(verify, rules.Objection.DecideWorkingDays);
        return new ObjectionDeadlines(acknowledge, verify, decide);
    }

    public static RepairDeadlines ForRepair(DueProcessRuleSet rules, WorkingDayCalendar calendar, DateOnly submittedOn)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(calendar);
        return new RepairDeadlines(
            calendar.AddWorkingDays(submittedOn, rules.Repair.AcceptWorkingDays),
            calendar.AddWorkingDays(submittedOn, rules.Repair.DecideWorkingDays));
    }
}
