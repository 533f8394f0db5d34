using System.Globalization;
using Xinyong.Core.Lists;

namespace Xinyong.Core.Checks;

/// <summary>The answer for one input row. NotFound and Ambiguous are never a pass: no subject was checked.</summary>
public enum CheckOutcome
{
    Pass,
    Fail,
    NeedsReview,
    NotFound,
    Ambiguous,
}

public static class CheckOutcomes
{
    public static string ToCode(this CheckOutcome o) => o switch
    {
        CheckOutcome.Pass => "pass",
        CheckOutcome.Fail => "fail",
        CheckOutcome.NeedsReview => "review",
        CheckOutcome.NotFound => "not_found",
        _ => "ambiguous",
    };

    public static CheckOutcome FromCode(string code) => code switch
    {
        "pass" => CheckOutcome.Pass,
        "fail" => CheckOutcome.Fail,
        "review" => CheckOutcome.NeedsReview,
        "not_found" => CheckOutcome.NotFound,
        "ambiguous" => CheckOutcome.Ambiguous,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown check outcome."),
    };

    public static string ToChinese(this CheckOutcome o) => o switch
    {
        CheckOutcome.Pass => "通过",
        CheckOutcome.Fail => "不通过",
        CheckOutcome.NeedsReview => "需人工复核",
        CheckOutcome.NotFound => "未找到主体",
        _ => "匹配不唯一",
    };

    public static string ToEnglish(this CheckOutcome o) => o switch
    {
        CheckOutcome.Pass => "pass",
        CheckOutcome.Fail => "fail",
        CheckOutcome.NeedsReview => "needs review",
        CheckOutcome.NotFound => "subject not found",
        _ => "ambiguous match",
    };
}

/// <summary>A list entry in force on the check date, as the evaluator sees it.</summary>
public sealed record CheckListEntry(long Id, string ListType, string Kind, string? DecisionNumber, DateOnly ListedFrom, DateOnly? ListedUntil, bool UnderObjection);

/// <summary>
/// A record of the subject with what the publication rules decided for it (grade, penalty kinds, publicity period;
/// null when the record has not been through the rules yet).
/// </summary>
public sealed record CheckRecord(
    long Id,
    string Type,
    DateOnly DecisionDate,
    string DecisionNumber,
    string Authority,
    decimal? AmountWan,
    string? Grade,
    string? Kinds,
    bool Published,
    DateOnly? PublishFrom,
    DateOnly? PublishUntil,
    DateOnly? EndedOn,
    bool UnderObjection)
{
    /// <summary>Publication ended early (credit repair, withdrawal) on or before <paramref name="on"/>: repair lifts punishments.</summary>
    public bool EndedBy(DateOnly on) => EndedOn is { } e && e <= on;

    public bool VisibleOn(DateOnly on) =>
        Published && !EndedBy(on) && PublishFrom is { } from && from <= on && (PublishUntil is null || on < PublishUntil);
}

/// <summary>Why a subject failed or needs review: the rule, and the record or list entry that met it.</summary>
/// <param name="EvidenceKind">list_entry, record, or input (for a name that does not match the code's subject).</param>
public sealed record CheckReason(
    string RuleId,
    RuleEffect Effect,
    string DescriptionZh,
    string DescriptionEn,
    string EvidenceKind,
    long? EvidenceId,
    string EvidenceZh,
    string EvidenceEn,
    bool UnderObjection)
{
    public string TextZh => $"[{RuleId}] {DescriptionZh}：{EvidenceZh}{(UnderObjection ? "（异议处理中，转人工复核）" : "")}";

    public string TextEn => $"[{RuleId}] {DescriptionEn}: {EvidenceEn}{(UnderObjection ? " (under objection: referred for review)" : "")}";
}

public sealed record CheckVerdict(CheckOutcome Outcome, IReadOnlyList<CheckReason> Reasons)
{
    public static readonly CheckVerdict Passed = new(CheckOutcome.Pass, []);

    /// <summary>
    /// Fail when a fail rule is met by an item that is not under objection; otherwise needs review when any rule is met
    /// (a fail met only by items under objection becomes review: 异议中 information is not used against the subject
    /// until the objection is settled); otherwise pass.
    /// </summary>
    public static CheckVerdict From(IReadOnlyList<CheckReason> reasons)
    {
        if (reasons.Count == 0) return Passed;
        var fail = reasons.Any(r => r.Effect == RuleEffect.Fail && !r.UnderObjection);
        return new CheckVerdict(fail ? CheckOutcome.Fail : CheckOutcome.NeedsReview, reasons);
    }
}

/// <summary>
/// Applies a purpose's rules to one subject's facts. Pure and in memory: the batch evaluator loads the facts of every
/// subject of a batch in a few queries and calls this per subject.
/// </summary>
public sealed class CheckEvaluator(ListTypeCatalogue listTypes)
{
    public CheckVerdict Evaluate(CheckPurpose purpose, DateOnly checkDate, IReadOnlyList<CheckListEntry> activeEntries, IReadOnlyList<CheckRecord> records)
    {
        List<CheckReason>? reasons = null;
        foreach (var rule in purpose.Rules)
        {
            if (rule.List is { } list)
            {
                foreach (var e in activeEntries)
                {
                    if (!list.Matches(e.ListType, e.Kind)) continue;
                    (reasons ??= []).Add(ForEntry(rule, e));
                }
            }
            else if (rule.Record is { } cond)
            {
                var earliest = cond.Earliest(checkDate);
                foreach (var r in records)
                {
                    if (!Meets(cond, r, earliest, checkDate)) continue;
                    (reasons ??= []).Add(ForRecord(rule, r));
                }
            }
        }
        return reasons is null ? CheckVerdict.Passed : CheckVerdict.From(reasons);
    }

    public static bool Meets(RecordCondition c, CheckRecord r, DateOnly earliest, DateOnly checkDate)
    {
        if (!string.Equals(r.Type, c.Type, StringComparison.Ordinal)) return false;
        if (r.DecisionDate < earliest || r.DecisionDate > checkDate) return false;
        if (r.EndedBy(checkDate)) return false;
        if (c.Grades.Count > 0 && (r.Grade is null || !c.Grades.Contains(r.Grade, StringComparer.Ordinal))) return false;
        if (c.Kinds.Count > 0 && (r.Kinds is null || !c.Kinds.Any(k => r.Kinds.Contains(k, StringComparison.Ordinal)))) return false;
        if (c.MinAmountWan is { } min && (r.AmountWan is null || r.AmountWan < min)) return false;
        if (c.PublishedOnly && !r.VisibleOn(checkDate)) return false;
        return true;
    }

    private CheckReason ForEntry(CheckRule rule, CheckListEntry e)
    {
        var type = listTypes.Latest(e.ListType);
        var nameZh = type?.NameZh ?? e.ListType;
        var nameEn = type?.NameEn ?? e.ListType;
        var until = e.ListedUntil is { } u ? D(u) : null;
        var zh = $"{nameZh}（名单记录 #{e.Id}{(e.DecisionNumber is null ? "" : "，" + e.DecisionNumber)}，列入日期 {D(e.ListedFrom)}{(until is null ? "，至移出为止" : "，列入期限至 " + until)}）";
        var en = $"{nameEn} (list entry #{e.Id}{(e.DecisionNumber is null ? "" : ", " + e.DecisionNumber)}, listed from {D(e.ListedFrom)}{(until is null ? " until exit" : " until " + until)})";
        return new CheckReason(rule.Id, rule.Effect, rule.DescriptionZh, rule.DescriptionEn, "list_entry", e.Id, zh, en, e.UnderObjection);
    }

    private static CheckReason ForRecord(CheckRule rule, CheckRecord r)
    {
        var grade = r.Grade switch { "serious" => "严重", "general" => "一般", "minor" => "轻微", _ => null };
        var amount = r.AmountWan is { } a ? a.ToString("0.######", CultureInfo.InvariantCulture) : null;
        var zh = $"{(r.Type == "penalty" ? "行政处罚" : "行政许可")}记录 #{r.Id}，{r.DecisionNumber}，{r.Authority}，决定日期 {D(r.DecisionDate)}"
                 + (grade is null ? "" : $"，{grade}程度") + (r.Kinds is null ? "" : $"，{r.Kinds}") + (amount is null ? "" : $"，罚款 {amount} 万元");
        var en = $"{r.Type} record #{r.Id}, {r.DecisionNumber}, {r.Authority}, decided {D(r.DecisionDate)}"
                 + (r.Grade is null ? "" : $", {r.Grade} grade") + (amount is null ? "" : $", fine {amount} x 10,000 yuan");
        return new CheckReason(rule.Id, rule.Effect, rule.DescriptionZh, rule.DescriptionEn, "record", r.Id, zh, en, r.UnderObjection);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
