using System.Globalization;
using Xinyong.Core.Subjects;

namespace Xinyong.Core.Publication;

/// <summary>What the engine needs to know about one record: its type, subject kind, decision date and field values.</summary>
public sealed record PublicationInput(string RecordType, SubjectKind SubjectKind, DateOnly DecisionDate, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The engine's answer for one record: whether it is published at all, from when, until when (exclusive: the first
/// day it is no longer shown), when the subject may apply for repair, and why — grade, sector and rule set.
/// </summary>
public sealed record PublicationDecision
{
    public required bool Published { get; init; }

    /// <summary>Why the record is withheld from the public: natural-person, minor-grade, validity-ended.</summary>
    public string? WithheldReason { get; init; }

    public PenaltyGrade? Grade { get; init; }

    /// <summary>department (set by the deciding department in CF_YZCD) or derived (from kinds and amounts).</summary>
    public string? GradeSource { get; init; }

    public string? GradeReasonZh { get; init; }
    public string? GradeReasonEn { get; init; }

    /// <summary>Sector rule that lengthened the minimum period (work-safety, fire-safety, special-equipment).</summary>
    public string? Sector { get; init; }

    public required string RuleSetId { get; init; }
    public required DateOnly PublishFrom { get; init; }
    public DateOnly? RepairFrom { get; init; }
    public DateOnly? PublishUntil { get; init; }

    /// <summary>True when the record is on public view on <paramref name="today"/>.</summary>
    public bool VisibleOn(DateOnly today) => Published && PublishFrom <= today && (PublishUntil is null || today < PublishUntil);
}

/// <summary>Applies <see cref="PublicationRules"/> to records. Pure and thread-safe.</summary>
public sealed class PublicationEngine(PublicationRules rules)
{
    public const string Penalty = "penalty";
    public const string Licence = "licence";
    public const string CommitmentBreach = "commitment-breach";

    public PublicationRules Rules => rules;

    public PublicationDecision Evaluate(PublicationInput input) => input.RecordType switch
    {
        Penalty => EvaluatePenalty(input),
        Licence => EvaluateLicence(input),
        CommitmentBreach => EvaluateCommitmentBreach(input),
        _ => new PublicationDecision
        {
            Published = false, WithheldReason = "no-rule", RuleSetId = rules.RuleSetOn(input.DecisionDate).Id, PublishFrom = input.DecisionDate,
        },
    };

    private PublicationDecision EvaluatePenalty(PublicationInput input)
    {
        var set = rules.RuleSetOn(input.DecisionDate);
        var (grade, source, reasonZh, reasonEn) = GradeOf(input);
        var period = set.Penalty.For(grade);
        var sector = SectorOf(input);
        var minMonths = period.MinMonths;
        if (sector is not null && set.Penalty.SectorMinMonths is { } sectorMin && period.Published)
        {
            minMonths = Math.Max(minMonths, sectorMin);
        }
        else
        {
            sector = null;
        }
        var maxMonths = Math.Max(period.MaxMonths, minMonths);
        var from = input.DecisionDate;
        DateOnly? until = from.AddMonths(maxMonths);
        // A department may declare an earlier publicity end (CF_GSJZQ); it can shorten but never extend the legal maximum.
        if (Date(input, "CF_GSJZQ") is { } declared && declared.AddDays(1) < until && declared >= from)
        {
            until = declared.AddDays(1);
        }
        var published = period.Published;
        string? withheld = published ? null : "minor-grade";
        if (input.SubjectKind == SubjectKind.NaturalPerson && !rules.NaturalPersons.Penalty)
        {
            published = false;
            withheld = "natural-person";
        }
        return new PublicationDecision
        {
            Published = published,
            WithheldReason = withheld,
            Grade = grade,
            GradeSource = source,
            GradeReasonZh = reasonZh,
            GradeReasonEn = reasonEn,
            Sector = sector?.Id,
            RuleSetId = set.Id,
            PublishFrom = from,
            RepairFrom = from.AddMonths(minMonths),
            PublishUntil = period.Published ? until : from,
        };
    }

    private PublicationDecision EvaluateLicence(PublicationInput input)
    {
        var set = rules.RuleSetOn(input.DecisionDate);
        DateOnly? until = null;
        if (set.Licence.UntilValidityEnd && Date(input, "XK_YXQZI") is { } validTo && validTo < set.Licence.NoExpiryDate)
        {
            until = validTo.AddDays(1);
        }
        var published = true;
        string? withheld = null;
        if (input.SubjectKind == SubjectKind.NaturalPerson && !rules.NaturalPersons.Licence)
        {
            published = false;
            withheld = "natural-person";
        }
        return new PublicationDecision
        {
            Published = published,
            WithheldReason = withheld,
            RuleSetId = set.Id,
            PublishFrom = input.DecisionDate,
            PublishUntil = until,
        };
    }

    /// <summary>
    /// A confirmed breach of a credit commitment is a failing graded by the department that found it (WN_YZCD): the
    /// rule set's periods for that grade apply, from the decision date, and natural persons follow the penalty rule.
    /// </summary>
    private PublicationDecision EvaluateCommitmentBreach(PublicationInput input)
    {
        var set = rules.RuleSetOn(input.DecisionDate);
        var grade = PenaltyGrades.FromChinese(Field(input, "WN_YZCD")) ?? PenaltyGrade.General;
        var period = set.Penalty.For(grade);
        var from = input.DecisionDate;
        var published = period.Published;
        string? withheld = published ? null : "minor-grade";
        if (input.SubjectKind == SubjectKind.NaturalPerson && !rules.NaturalPersons.Penalty)
        {
            published = false;
            withheld = "natural-person";
        }
        return new PublicationDecision
        {
            Published = published,
            WithheldReason = withheld,
            Grade = grade,
            GradeSource = "department",
            GradeReasonZh = $"认定部门认定为{grade.ToChinese()}失信",
            GradeReasonEn = $"Set by the deciding department: {grade.ToCode()}",
            RuleSetId = set.Id,
            PublishFrom = from,
            RepairFrom = from.AddMonths(period.MinMonths),
            PublishUntil = period.Published ? from.AddMonths(Math.Max(period.MaxMonths, period.MinMonths)) : from,
        };
    }

    /// <summary>The grade: as set by the deciding department, otherwise derived from the kinds and amounts; the most severe wins.</summary>
    public (PenaltyGrade Grade, string Source, string ReasonZh, string ReasonEn) GradeOf(PublicationInput input)
    {
        if (PenaltyGrades.FromChinese(Field(input, "CF_YZCD")) is { } set)
        {
            return (set, "department", $"处罚机关认定为{set.ToChinese()}失信", $"Set by the deciding authority: {set.ToCode()}");
        }
        var g = rules.Grading;
        var kinds = (Field(input, "CF_CFLB") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var kindCode = input.SubjectKind.ToCode();
        var fine = Amount(input, "CF_NR_FK") ?? 0m;
        var confiscated = Amount(input, "CF_NR_WFFF") ?? 0m;

        var serious = kinds.FirstOrDefault(k => g.SeriousKinds.Contains(k));
        if (serious is not null)
        {
            return (PenaltyGrade.Serious, "derived", $"处罚种类含“{serious}”", $"Penalty kind '{serious}'");
        }
        if (g.SeriousFineMinWan.TryGetValue(kindCode, out var seriousMin) && fine + confiscated >= seriousMin)
        {
            return (PenaltyGrade.Serious, "derived", $"罚没金额{Format(fine + confiscated)}万元，达到{Format(seriousMin)}万元", $"Fines and confiscation {Format(fine + confiscated)} (10k yuan) reach {Format(seriousMin)}");
        }
        var onlyMinorKinds = kinds.Length > 0 && kinds.All(k => g.MinorKinds.Contains(k));
        if (onlyMinorKinds)
        {
            return (PenaltyGrade.Minor, "derived", $"处罚种类仅为{string.Join("、", kinds)}", $"Only {string.Join(", ", kinds)}");
        }
        var fineOnly = kinds.Length > 0 && kinds.All(k => k == "罚款" || g.MinorKinds.Contains(k));
        if (fineOnly && g.MinorFineMaxWan.TryGetValue(kindCode, out var minorMax) && fine <= minorMax)
        {
            return (PenaltyGrade.Minor, "derived", $"罚款{Format(fine)}万元，不超过简易程序限额{Format(minorMax)}万元",
                $"Fine {Format(fine)} (10k yuan) within the summary-procedure limit {Format(minorMax)}");
        }
        return (PenaltyGrade.General, "derived", "一般程序作出的行政处罚", "Penalty under the ordinary procedure");
    }

    private SectorRule? SectorOf(PublicationInput input)
    {
        var basis = Field(input, "CF_YJ") ?? "";
        var conduct = Field(input, "CF_WFXW") ?? "";
        var authority = Field(input, "CF_CFJG") ?? "";
        foreach (var s in rules.Sectors)
        {
            if (s.BasisKeywords.Any(k => basis.Contains(k, StringComparison.Ordinal) || conduct.Contains(k, StringComparison.Ordinal))
                || s.AuthorityKeywords.Any(k => authority.Contains(k, StringComparison.Ordinal)))
            {
                return s;
            }
        }
        return null;
    }

    private static string? Field(PublicationInput input, string name) =>
        input.Fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;

    private static DateOnly? Date(PublicationInput input, string name) =>
        Field(input, name) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static decimal? Amount(PublicationInput input, string name) =>
        Field(input, name) is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string Format(decimal d) => d.ToString("0.######", CultureInfo.InvariantCulture);
}
