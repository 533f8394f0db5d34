using Xinyong.Core.DueProcess;

namespace Xinyong.Core.Measures;

/// <summary>What a department reports on one measure of a question it asked.</summary>
public sealed record FeedbackReport(bool Applied, string? Action, string? ReasonNotApplied);

/// <summary>
/// One measure in a stored question, and the department's report on it. A report is given once: applied with what was
/// done, or not applied with why. A withheld measure (lenient rule) is not to be applied and takes no report.
/// </summary>
public sealed class MeasureQueryItem
{
    private MeasureQueryItem()
    {
    }

    public long Id { get; private set; }
    public long QueryId { get; private set; }
    public string MeasureId { get; private set; } = default!;
    public bool Withheld { get; private set; }
    public bool? Applied { get; private set; }
    public string? Action { get; private set; }
    public string? ReasonNotApplied { get; private set; }
    public DateOnly? AnsweredOn { get; private set; }

    public bool IsAnswered => Applied is not null;

    /// <summary>Needs a report from the department (not withheld, not yet answered).</summary>
    public bool AwaitsReport => !Withheld && Applied is null;

    public static MeasureQueryItem Restore(long id, long queryId, string measureId, bool withheld, bool? applied, string? action, string? reason, DateOnly? answeredOn) =>
        new()
        {
            Id = id, QueryId = queryId, MeasureId = measureId, Withheld = withheld, Applied = applied, Action = action,
            ReasonNotApplied = reason, AnsweredOn = answeredOn,
        };

    /// <summary>Records the report. Refused for a withheld measure, a second report, or a report without what / why.</summary>
    public void Answer(FeedbackReport report, DateOnly on)
    {
        if (Withheld)
            throw new RefusedException("measure-withheld", $"措施 {MeasureId} 依包容审慎规则暂不实施，无需反馈。",
                $"Measure {MeasureId} is withheld by a lenient rule and takes no report.", RefusalKind.Conflict);
        if (Applied is not null)
            throw new RefusedException("already-answered", $"措施 {MeasureId} 已于 {AnsweredOn:yyyy-MM-dd} 反馈，不能重复反馈。",
                $"Measure {MeasureId} was already reported on {AnsweredOn:yyyy-MM-dd}.", RefusalKind.Conflict);
        if (report.Applied)
        {
            Action = Handler.RequireText(report.Action, "action-required", $"已实施措施 {MeasureId}，请说明采取了什么措施（如：取消投标资格）。",
                $"Measure {MeasureId} applied: state what was done.");
            ReasonNotApplied = null;
        }
        else
        {
            ReasonNotApplied = Handler.RequireText(report.ReasonNotApplied, "reason-required", $"未实施措施 {MeasureId}，请说明理由。",
                $"Measure {MeasureId} not applied: state why.");
            Action = string.IsNullOrWhiteSpace(report.Action) ? null : report.Action.Trim();
        }
        Applied = report.Applied;
        AnsweredOn = on;
    }
}

/// <summary>The state of a question, derived from its items and due date.</summary>
public static class MeasureQueryStatus
{
    public const string Open = "open";
    public const string Answered = "answered";
    public const string Overdue = "overdue";
    /// <summary>No measure needed a report (none applied, or all withheld).</summary>
    public const string NothingToReport = "nothing-to-report";

    public static string Of(IEnumerable<MeasureQueryItem> items, DateOnly dueOn, DateOnly today)
    {
        var list = items.Where(i => !i.Withheld).ToList();
        if (list.Count == 0) return NothingToReport;
        if (list.All(i => i.IsAnswered)) return Answered;
        return today > dueOn ? Overdue : Open;
    }

    public static string ToChinese(string status) => status switch
    {
        Open => "待反馈",
        Answered => "已反馈",
        Overdue => "逾期未反馈",
        NothingToReport => "无需反馈",
        _ => status,
    };

    public static string ToEnglish(string status) => status switch
    {
        Open => "Awaiting feedback",
        Answered => "Answered",
        Overdue => "Overdue",
        NothingToReport => "Nothing to report",
        _ => status,
    };
}
