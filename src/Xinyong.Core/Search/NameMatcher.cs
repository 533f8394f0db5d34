using System.Globalization;

namespace Xinyong.Core.Search;

/// <summary>What kind of likeness a name match is, best first.</summary>
public enum MatchKind
{
    /// <summary>The same name (after widths, brackets, spaces and punctuation).</summary>
    Exact,

    /// <summary>The same core name; the company form or the place differs or is left out.</summary>
    SameName,

    /// <summary>The core names differ by a few characters (typo, missing or extra character).</summary>
    Similar,

    /// <summary>One core name contains the other (a search for 恒达 finds 恒达机械制造).</summary>
    Contains,

    /// <summary>The names share some of their character pairs.</summary>
    Partial,
}

/// <summary>How the company forms of two names relate.</summary>
public enum FormRelation
{
    Same,

    /// <summary>Only one name carries a form.</summary>
    Missing,

    /// <summary>Near-synonyms (有限公司 / 有限责任公司).</summary>
    SameFamily,

    Different,
}

/// <summary>
/// Scoring settings. Scores are 0..1: exact 1; the same core name with the form or place left out 0.99, another
/// form of the same family 0.98, of another family 0.95 (penalties add up); similar names (at most
/// <see cref="NameMatcher.MaxEdits"/> characters different) at most <see cref="SimilarCeiling"/>, less a share per
/// differing character; names containing the query 0.5-0.88; names sharing some character pairs at most 0.8.
/// Thresholds are the caller's: a search page shows everything from <see cref="MinScore"/>, a batch check may accept
/// only 0.9 and above. A former name scores <see cref="FormerNamePenalty"/> less than the same current name.
/// </summary>
public sealed record NameMatchOptions
{
    public static readonly NameMatchOptions Default = new();

    /// <summary>Matches scoring below this are not returned.</summary>
    public double MinScore { get; init; } = 0.5;

    public double FormerNamePenalty { get; init; } = 0.01;
    public double FormMissingPenalty { get; init; } = 0.01;
    public double FormSameFamilyPenalty { get; init; } = 0.02;
    public double FormDifferentPenalty { get; init; } = 0.05;
    public double PlaceMissingPenalty { get; init; } = 0.01;
    public double PlaceNestedPenalty { get; init; } = 0.02;
    public double PlaceDifferentPenalty { get; init; } = 0.08;

    /// <summary>The score of a similar name with no differing character; each differing character takes its share.</summary>
    public double SimilarCeiling { get; init; } = 0.92;

    /// <summary>At most this many candidate names are scored per query; the total is then a lower bound.</summary>
    public int MaxCandidates { get; init; } = 1000;

    /// <summary>
    /// Postings read per query for candidate generation, rarest character pairs first. Pairs beyond the budget
    /// (有限, 科技, 贸易 ...) still count in the score, they just do not bring in candidates.
    /// </summary>
    public int PostingBudget { get; init; } = 300_000;
}

/// <summary>The explained outcome of comparing a query name with a subject name.</summary>
public sealed record NameMatch(
    double Score,
    MatchKind Kind,
    bool FormerName,
    int DifferentCharacters,
    FormRelation Form,
    PlaceRelation Place,
    string ReasonZh,
    string ReasonEn)
{
    /// <summary>A stable code for APIs: exact, exact_former, same_name, similar, contains, partial (+ _former).</summary>
    public string ReasonCode => Kind switch
    {
        MatchKind.Exact => "exact",
        MatchKind.SameName => "same_name",
        MatchKind.Similar => "similar",
        MatchKind.Contains => "contains",
        _ => "partial",
    } + (FormerName ? "_former" : "");
}

/// <summary>Compares two names and explains the score. Pure and allocation-light: used per candidate by the index.</summary>
public static class NameMatcher
{
    /// <summary>Compares a query name with a subject's name (current or former).</summary>
    public static NameMatch Match(string query, string name, bool formerName = false, NameMatchOptions? options = null) =>
        Match(MatchKey.Parse(query), MatchKey.Parse(name), formerName, options);

    public static NameMatch Match(in MatchKey query, in MatchKey name, bool formerName = false, NameMatchOptions? options = null) =>
        Match(query, name.Core, name.Form, name.Place, formerName, options ?? NameMatchOptions.Default);

    /// <summary>The score alone, without building the explanation (the index ranks with this).</summary>
    public static double Score(in MatchKey query, ReadOnlySpan<char> core, byte form, int place, bool formerName, NameMatchOptions options) =>
        Compute(query, core, form, place, formerName, options, explain: false).Score;

    internal static NameMatch Match(in MatchKey query, ReadOnlySpan<char> core, byte form, int place, bool formerName, NameMatchOptions options)
    {
        var r = Compute(query, core, form, place, formerName, options, explain: true);
        var (zh, en) = Explain(r, query, form, place, formerName);
        return new NameMatch(r.Score, r.Kind, formerName, r.Differences, r.Form, r.Place, zh, en);
    }

    private readonly record struct Outcome(double Score, MatchKind Kind, int Differences, FormRelation Form, PlaceRelation Place, int CoreLength, int SameSound = 0);

    private static Outcome Compute(in MatchKey query, ReadOnlySpan<char> core, byte form, int place, bool formerName, NameMatchOptions o, bool explain)
    {
        var q = query.Core.AsSpan();
        if (q.IsEmpty || core.IsEmpty) return new Outcome(0, MatchKind.Partial, Math.Max(q.Length, core.Length), FormRelation.Same, PlaceRelation.Same, core.Length);
        var formRelation = CompareForms(query.Form, form);
        var placeRelation = PlaceNames.Compare(query.Place, place);
        var penalty = (formerName ? o.FormerNamePenalty : 0)
            + formRelation switch
            {
                FormRelation.Missing => o.FormMissingPenalty,
                FormRelation.SameFamily => o.FormSameFamilyPenalty,
                FormRelation.Different => o.FormDifferentPenalty,
                _ => 0,
            }
            + placeRelation switch
            {
                PlaceRelation.Missing => o.PlaceMissingPenalty,
                PlaceRelation.Nested => o.PlaceNestedPenalty,
                PlaceRelation.Different => o.PlaceDifferentPenalty,
                _ => 0,
            };

        if (q.SequenceEqual(core))
        {
            var kind = formRelation == FormRelation.Same && placeRelation == PlaceRelation.Same ? MatchKind.Exact : MatchKind.SameName;
            return new Outcome(Math.Max(0, 1 - penalty), kind, 0, formRelation, placeRelation, core.Length);
        }

        var longest = Math.Max(q.Length, core.Length);
        var best = 0.0;
        var bestKind = MatchKind.Partial;
        var distance = EditDistance.Osa(q, core, MaxEdits(longest));
        var sameSound = 0;
        if (distance <= MaxEdits(longest))
        {
            // Same-sound substitutions (typed with pinyin) cost half: 恒大 for 恒达 ranks above 恒太.
            var cost = Math.Min(distance, SoundEditDistance.Osa(q, core));
            sameSound = Math.Clamp((int)Math.Round((distance - cost) / (1 - SoundEditDistance.SameSoundCost)), 0, distance);
            best = o.SimilarCeiling * (1 - (cost / longest));
            bestKind = MatchKind.Similar;
        }
        var contains = 0.0;
        if (q.Length >= 2 && core.Length > q.Length && core.IndexOf(q, StringComparison.Ordinal) is var at and >= 0)
        {
            // Weaker evidence than one differing character unless the query starts the name (a name typed short).
            contains = 0.5 + (0.3 * q.Length / core.Length) + (at == 0 ? 0.08 : 0);
        }
        else if (core.Length >= 2 && q.Length > core.Length && q.IndexOf(core, StringComparison.Ordinal) >= 0)
        {
            contains = 0.45 + (0.3 * core.Length / q.Length);
        }
        if (contains > best)
        {
            best = contains;
            bestKind = MatchKind.Contains;
        }
        // Shared character pairs score at most 0.8: only worth counting when nothing better was found.
        if (best < 0.8)
        {
            var partial = 0.8 * Grams.Dice(q, core);
            if (partial > best)
            {
                best = partial;
                bestKind = MatchKind.Partial;
            }
        }
        if (explain && bestKind != MatchKind.Similar) distance = EditDistance.Osa(q, core, longest);
        return new Outcome(Math.Max(0, best - penalty), bestKind, distance, formRelation, placeRelation, core.Length, bestKind == MatchKind.Similar ? sameSound : 0);
    }

    /// <summary>
    /// The most characters a similar name may differ by: one up to nine characters, then one per five. More, and
    /// names with the same industry words and another two-character trade name (嘉湖企业管理咨询 / 华鑫企业管理咨询)
    /// would count as similar.
    /// </summary>
    public static int MaxEdits(int length) => Math.Max(1, length / 5);

    /// <summary>Whether the query may still be similar with this many edits: at best every edit is a same-sound one.</summary>
    internal static bool SimilarCanReach(int edits, int length, NameMatchOptions options) =>
        options.SimilarCeiling * (1 - (edits * SoundEditDistance.SameSoundCost / length)) >= options.MinScore;

    public static FormRelation CompareForms(byte a, byte b)
    {
        if (a == b) return FormRelation.Same;
        if (a == 0 || b == 0) return FormRelation.Missing;
        return CompanyForms.Family(a) == CompanyForms.Family(b) ? FormRelation.SameFamily : FormRelation.Different;
    }

    private static (string Zh, string En) Explain(in Outcome r, in MatchKey query, byte form, int place, bool former)
    {
        var subjectZh = former ? "曾用名" : "名称";
        var subjectEn = former ? "former name" : "name";
        string zh, en;
        switch (r.Kind)
        {
            case MatchKind.Exact:
                return former ? ("与曾用名一致", "same as a former name") : ("名称一致", "same name");
            case MatchKind.SameName:
                zh = subjectZh + "一致";
                en = "same " + subjectEn;
                break;
            case MatchKind.Similar:
                var n = r.Differences;
                var plural = n == 1 ? "" : "s";
                (zh, en) = r.SameSound == 0
                    ? (string.Create(CultureInfo.InvariantCulture, $"{subjectZh}相近（相差{n}个字）"),
                        string.Create(CultureInfo.InvariantCulture, $"similar {subjectEn} ({n} character{plural} different)"))
                    : r.SameSound == n
                        ? (string.Create(CultureInfo.InvariantCulture, $"{subjectZh}相近（相差{n}个同音字）"),
                            string.Create(CultureInfo.InvariantCulture, $"similar {subjectEn} ({n} character{plural} different, same sound)"))
                        : (string.Create(CultureInfo.InvariantCulture, $"{subjectZh}相近（相差{n}个字，其中{r.SameSound}个同音）"),
                            string.Create(CultureInfo.InvariantCulture, $"similar {subjectEn} ({n} characters different, {r.SameSound} of them same sound)"));
                break;
            case MatchKind.Contains:
                (zh, en) = query.Core.Length < r.CoreLength
                    ? (subjectZh + "包含查询内容", subjectEn + " contains the query")
                    : ("查询内容包含该" + subjectZh, "the query contains the " + subjectEn);
                break;
            default:
                zh = subjectZh + "部分相似";
                en = "partly similar " + subjectEn;
                break;
        }
        var queryForm = CompanyForms.Text(query.Form);
        var nameForm = CompanyForms.Text(form);
        switch (r.Form)
        {
            case FormRelation.SameFamily or FormRelation.Different:
                zh += $"，组织形式不同（{queryForm}/{nameForm}）";
                en += $", different company form ({queryForm} / {nameForm})";
                break;
            case FormRelation.Missing when r.Kind == MatchKind.SameName:
                zh += "，未比对组织形式";
                en += ", company form not compared";
                break;
        }
        var queryPlace = PlaceNames.Display(query.Place);
        var namePlace = PlaceNames.Display(place);
        switch (r.Place)
        {
            case PlaceRelation.Different:
                zh += $"，地名不同（{queryPlace}/{namePlace}）";
                en += $", different place ({queryPlace} / {namePlace})";
                break;
            case PlaceRelation.Nested:
                zh += $"，地名范围不同（{queryPlace}/{namePlace}）";
                en += $", place within the other ({queryPlace} / {namePlace})";
                break;
            case PlaceRelation.Missing when r.Kind == MatchKind.SameName:
                zh += "，未比对地名";
                en += ", place not compared";
                break;
        }
        return (zh, en);
    }
}
