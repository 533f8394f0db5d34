using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xinyong.Core.Publication;

/// <summary>Severity grade of a penalty decision (2026 measures: 轻微 / 一般 / 严重).</summary>
public enum PenaltyGrade
{
    Minor = 1,
    General = 2,
    Serious = 3,
}

public static class PenaltyGrades
{
    public static string ToCode(this PenaltyGrade grade) => grade switch
    {
        PenaltyGrade.Minor => "minor",
        PenaltyGrade.General => "general",
        PenaltyGrade.Serious => "serious",
        _ => throw new ArgumentOutOfRangeException(nameof(grade)),
    };

    public static PenaltyGrade FromCode(string code) => code switch
    {
        "minor" => PenaltyGrade.Minor,
        "general" => PenaltyGrade.General,
        "serious" => PenaltyGrade.Serious,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown grade."),
    };

    /// <summary>The grade as departments write it in CF_YZCD (after enum canonicalisation).</summary>
    public static PenaltyGrade? FromChinese(string? value) => value switch
    {
        "轻微" => PenaltyGrade.Minor,
        "一般" => PenaltyGrade.General,
        "严重" => PenaltyGrade.Serious,
        _ => null,
    };

    public static string ToChinese(this PenaltyGrade grade) => grade switch
    {
        PenaltyGrade.Minor => "轻微",
        PenaltyGrade.General => "一般",
        _ => "严重",
    };
}

public sealed record GradePeriod(bool Published, int MinMonths, int MaxMonths);

public sealed record PenaltyRules(IReadOnlyDictionary<string, GradePeriod> Grades, int? SectorMinMonths)
{
    public GradePeriod For(PenaltyGrade grade) => Grades[grade.ToCode()];
}

public sealed record LicenceRules(bool UntilValidityEnd, DateOnly NoExpiryDate);

/// <summary>One dated rule set: applies to decisions made on or after <see cref="EffectiveFrom"/> until the next set.</summary>
public sealed record RuleSet(string Id, DateOnly EffectiveFrom, string TitleZh, string TitleEn, PenaltyRules Penalty, LicenceRules Licence);

public sealed record NaturalPersonRules(bool Penalty, bool Licence, string ReasonZh, string ReasonEn);

public sealed record GradingRules(
    IReadOnlyList<string> MinorKinds,
    IReadOnlyList<string> SeriousKinds,
    IReadOnlyDictionary<string, decimal> MinorFineMaxWan,
    IReadOnlyDictionary<string, decimal> SeriousFineMinWan);

/// <summary>A sector whose decisions carry a longer minimum period (order 58: work safety, fire safety, special equipment).</summary>
public sealed record SectorRule(string Id, string NameZh, string NameEn, IReadOnlyList<string> BasisKeywords, IReadOnlyList<string> AuthorityKeywords);

/// <summary>
/// The publicity rules as data (publication-rules.json): dated rule sets, grading thresholds, sector rules and
/// what may be published about natural persons.
/// </summary>
public sealed class PublicationRules
{
    public const string DefaultResourceName = "Xinyong.Core.Publication.publication-rules.json";

    private static readonly Lazy<PublicationRules> Default = new(() =>
    {
        using var s = typeof(PublicationRules).Assembly.GetManifestResourceStream(DefaultResourceName)
                      ?? throw new InvalidOperationException("publication-rules.json is not embedded.");
        return Parse(s);
    });

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public required string Version { get; init; }
    public required IReadOnlyList<RuleSet> RuleSets { get; init; }
    public required GradingRules Grading { get; init; }
    public required IReadOnlyList<SectorRule> Sectors { get; init; }
    public required NaturalPersonRules NaturalPersons { get; init; }

    public static PublicationRules LoadDefault() => Default.Value;

    public static PublicationRules Parse(Stream json)
    {
        var dto = JsonSerializer.Deserialize<RulesDto>(json, Options) ?? throw new InvalidDataException("Empty publication rules.");
        return FromDto(dto);
    }

    public static PublicationRules Parse(string json)
    {
        var dto = JsonSerializer.Deserialize<RulesDto>(json, Options) ?? throw new InvalidDataException("Empty publication rules.");
        return FromDto(dto);
    }

    /// <summary>The rule set in force on <paramref name="decisionDate"/>.</summary>
    public RuleSet RuleSetOn(DateOnly decisionDate)
    {
        RuleSet? found = null;
        foreach (var set in RuleSets)
        {
            if (set.EffectiveFrom <= decisionDate) found = set;
        }
        return found ?? RuleSets[0];
    }

    public RuleSet? Find(string id) => RuleSets.FirstOrDefault(r => r.Id == id);

    public SectorRule? Sector(string? id) => id is null ? null : Sectors.FirstOrDefault(s => s.Id == id);

    private static PublicationRules FromDto(RulesDto dto)
    {
        if (dto.RuleSets is not { Count: > 0 }) throw new InvalidDataException("Publication rules: at least one rule set is required.");
        var sets = new List<RuleSet>();
        foreach (var r in dto.RuleSets.OrderBy(r => r.EffectiveFrom))
        {
            if (string.IsNullOrWhiteSpace(r.Id)) throw new InvalidDataException("Publication rules: a rule set has no id.");
            var grades = r.Penalty?.Grades ?? throw new InvalidDataException($"Rule set {r.Id}: penalty grades are missing.");
            foreach (var g in new[] { "minor", "general", "serious" })
            {
                if (!grades.TryGetValue(g, out var p)) throw new InvalidDataException($"Rule set {r.Id}: grade '{g}' is missing.");
                if (p.MinMonths < 0 || p.MaxMonths < 0 || (p.Published && p.MaxMonths < p.MinMonths))
                {
                    throw new InvalidDataException($"Rule set {r.Id}, grade {g}: periods must be non-negative and max >= min.");
                }
            }
            sets.Add(new RuleSet(r.Id, r.EffectiveFrom, r.TitleZh ?? r.Id, r.TitleEn ?? r.Id,
                new PenaltyRules(grades, r.Penalty.SectorMinMonths),
                new LicenceRules(r.Licence?.UntilValidityEnd ?? true, r.Licence?.NoExpiryDate ?? new DateOnly(2099, 12, 31))));
        }
        if (sets.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() != sets.Count)
        {
            throw new InvalidDataException("Publication rules: rule set ids must be unique.");
        }
        var grading = dto.Grading ?? throw new InvalidDataException("Publication rules: grading is missing.");
        return new PublicationRules
        {
            Version = dto.Version ?? "unversioned",
            RuleSets = sets,
            Grading = new GradingRules(grading.MinorKinds ?? [], grading.SeriousKinds ?? [],
                grading.MinorFineMaxWan ?? new Dictionary<string, decimal>(), grading.SeriousFineMinWan ?? new Dictionary<string, decimal>()),
            Sectors = (dto.Sectors ?? []).Select(s => new SectorRule(s.Id, s.NameZh ?? s.Id, s.NameEn ?? s.Id, s.BasisKeywords ?? [], s.AuthorityKeywords ?? [])).ToList(),
            NaturalPersons = dto.NaturalPersons is { } n
                ? new NaturalPersonRules(n.Penalty, n.Licence, n.ReasonZh ?? "", n.ReasonEn ?? "")
                : new NaturalPersonRules(false, true, "", ""),
        };
    }

    private sealed record RulesDto(string? Version, NaturalPersonsDto? NaturalPersons, GradingDto? Grading, List<SectorDto>? Sectors, List<RuleSetDto>? RuleSets);
    private sealed record NaturalPersonsDto(bool Penalty, bool Licence, string? ReasonZh, string? ReasonEn);
    private sealed record GradingDto(List<string>? MinorKinds, List<string>? SeriousKinds, Dictionary<string, decimal>? MinorFineMaxWan, Dictionary<string, decimal>? SeriousFineMinWan);
    private sealed record SectorDto(string Id, string? NameZh, string? NameEn, List<string>? BasisKeywords, List<string>? AuthorityKeywords);
    private sealed record RuleSetDto(string Id, DateOnly EffectiveFrom, string? TitleZh, string? TitleEn, PenaltyDto? Penalty, LicenceDto? Licence);
    private sealed record PenaltyDto(Dictionary<string, GradePeriod>? Grades, int? SectorMinMonths);
    private sealed record LicenceDto(bool? UntilValidityEnd, DateOnly? NoExpiryDate);
}
