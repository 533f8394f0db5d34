using System.Text.Json;

namespace Xinyong.Core.Commitments;

/// <summary>One version of a commitment kind: what it is, on which legal basis, who may make it and how.</summary>
public sealed record CommitmentKind(
    string Id,
    DateOnly EffectiveFrom,
    string NameZh,
    string NameEn,
    string DescriptionZh,
    string DescriptionEn,
    string LegalBasisZh,
    string LegalBasisEn,
    bool OnlineBySubject,
    bool MatterRequired,
    string BreachGradeDefault,
    IReadOnlyList<string> AliasesZh)
{
    /// <summary>True when <paramref name="text"/> names this kind: its id, its Chinese name or one of the usual wordings.</summary>
    public bool IsNamedBy(string text)
    {
        var t = text.Trim();
        return string.Equals(t, Id, StringComparison.OrdinalIgnoreCase) || t == NameZh || AliasesZh.Contains(t, StringComparer.Ordinal);
    }
}

/// <summary>What a coverage target counts against: all market entities, black-listed subjects, or a list of matters.</summary>
public enum CoverageDenominator
{
    MarketEntities,
    BlackListed,
    Matters,
}

/// <summary>A coverage target of the work plan (seed 002), e.g. voluntary + industry commitments cover 90% of market entities.</summary>
public sealed record CoverageTarget(
    string Id,
    IReadOnlyList<string> Kinds,
    CoverageDenominator Denominator,
    decimal TargetPercent,
    IReadOnlyList<string> Matters,
    string SourceZh,
    string SourceEn);

/// <summary>The commitment kinds and coverage targets, loaded from commitment-kinds.json (embedded) or another file in the same format.</summary>
public sealed class CommitmentKindCatalogue
{
    public const string DefaultResourceName = "Xinyong.Core.Commitments.commitment-kinds.json";

    /// <summary>The five kinds of seed 002, in the order the work plan names them.</summary>
    private static readonly string[] KnownOrder = ["voluntary", "industry", "approval-replacing", "incomplete-application", "repair"];

    private static readonly string[] Grades = ["minor", "general", "serious"];

    private static readonly Lazy<CommitmentKindCatalogue> Default = new(() =>
    {
        using var s = typeof(CommitmentKindCatalogue).Assembly.GetManifestResourceStream(DefaultResourceName)
                      ?? throw new InvalidOperationException("commitment-kinds.json is not embedded.");
        return Parse(s);
    });

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private readonly Dictionary<string, List<CommitmentKind>> _versions;

    private CommitmentKindCatalogue(string version, List<CommitmentKind> kinds, IReadOnlyList<CoverageTarget> targets)
    {
        Version = version;
        _versions = kinds.GroupBy(k => k.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(k => k.EffectiveFrom).ToList(), StringComparer.Ordinal);
        Targets = targets;
    }

    public string Version { get; }

    public IReadOnlyList<CoverageTarget> Targets { get; }

    /// <summary>Kind ids in the work plan's order (unknown extra kinds after).</summary>
    public IReadOnlyList<string> Ids =>
        _versions.Keys.OrderBy(id => Array.IndexOf(KnownOrder, id) is var i && i >= 0 ? i : int.MaxValue).ThenBy(id => id, StringComparer.Ordinal).ToList();

    public static CommitmentKindCatalogue LoadDefault() => Default.Value;

    /// <summary>The version of <paramref name="id"/> in force on <paramref name="on"/>; null when unknown or not yet in force.</summary>
    public CommitmentKind? Find(string id, DateOnly on)
    {
        if (!_versions.TryGetValue(id, out var versions)) return null;
        CommitmentKind? found = null;
        foreach (var v in versions)
        {
            if (v.EffectiveFrom <= on) found = v;
        }
        return found;
    }

    /// <summary>The latest version, for labels of commitments made under any version.</summary>
    public CommitmentKind? Latest(string id) => _versions.TryGetValue(id, out var v) ? v[^1] : null;

    /// <summary>The kind id named by <paramref name="text"/> (id, Chinese name or usual wording), or null.</summary>
    public string? IdOf(string text) => _versions.Values.Select(v => v[^1]).FirstOrDefault(k => k.IsNamedBy(text))?.Id;

    public IReadOnlyList<CommitmentKind> InForce(DateOnly on) => Ids.Select(id => Find(id, on)).OfType<CommitmentKind>().ToList();

    public static CommitmentKindCatalogue Parse(Stream json) =>
        FromDto(JsonSerializer.Deserialize<CatalogueDto>(json, Options) ?? throw new InvalidDataException("Empty commitment kinds."));

    public static CommitmentKindCatalogue Parse(string json) =>
        FromDto(JsonSerializer.Deserialize<CatalogueDto>(json, Options) ?? throw new InvalidDataException("Empty commitment kinds."));

    private static CommitmentKindCatalogue FromDto(CatalogueDto dto)
    {
        if (dto.Kinds is not { Count: > 0 }) throw new InvalidDataException("Commitment kinds: at least one kind is required.");
        var kinds = new List<CommitmentKind>();
        foreach (var k in dto.Kinds)
        {
            var id = k.Id?.Trim();
            if (string.IsNullOrEmpty(id)) throw new InvalidDataException("Commitment kinds: a kind has no id.");
            string Required(string? value, string field) =>
                string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"Commitment kind {id}: '{field}' is required.") : value.Trim();
            var grade = k.BreachGradeDefault ?? "general";
            if (!Grades.Contains(grade)) throw new InvalidDataException($"Commitment kind {id}: breachGradeDefault must be minor, general or serious.");
            kinds.Add(new CommitmentKind(id, k.EffectiveFrom ?? throw new InvalidDataException($"Commitment kind {id}: 'effectiveFrom' is required."),
                Required(k.NameZh, "nameZh"), Required(k.NameEn, "nameEn"), Required(k.DescriptionZh, "descriptionZh"), Required(k.DescriptionEn, "descriptionEn"),
                Required(k.LegalBasisZh, "legalBasisZh"), Required(k.LegalBasisEn, "legalBasisEn"), k.OnlineBySubject, k.MatterRequired, grade, k.AliasesZh ?? []));
        }
        var duplicate = kinds.GroupBy(k => (k.Id, k.EffectiveFrom)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"Commitment kind {duplicate.Key.Id}: two versions take effect on {duplicate.Key.EffectiveFrom:yyyy-MM-dd}.");
        var ids = kinds.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        var targets = new List<CoverageTarget>();
        foreach (var t in dto.Targets ?? [])
        {
            if (string.IsNullOrWhiteSpace(t.Id)) throw new InvalidDataException("Commitment targets: a target has no id.");
            if (t.Kinds is not { Count: > 0 } || t.Kinds.Any(k => !ids.Contains(k)))
                throw new InvalidDataException($"Commitment target {t.Id}: kinds must name known kinds.");
            var denominator = t.Denominator switch
            {
                "market-entities" => CoverageDenominator.MarketEntities,
                "black-listed" => CoverageDenominator.BlackListed,
                "matters" => CoverageDenominator.Matters,
                _ => throw new InvalidDataException($"Commitment target {t.Id}: denominator must be market-entities, black-listed or matters."),
            };
            if (denominator == CoverageDenominator.Matters && t.Matters is not { Count: > 0 })
                throw new InvalidDataException($"Commitment target {t.Id}: a matters target lists its matters.");
            if (t.TargetPercent is not (> 0 and <= 100)) throw new InvalidDataException($"Commitment target {t.Id}: targetPercent must be in (0, 100].");
            targets.Add(new CoverageTarget(t.Id, t.Kinds, denominator, t.TargetPercent.Value, t.Matters ?? [], t.SourceZh ?? t.Id, t.SourceEn ?? t.Id));
        }
        return new CommitmentKindCatalogue(dto.Version ?? "unversioned", kinds, targets);
    }

    private sealed class CatalogueDto
    {
        public string? Version { get; set; }
        public List<KindDto>? Kinds { get; set; }
        public List<TargetDto>? Targets { get; set; }
    }

    private sealed class KindDto
    {
        public string? Id { get; set; }
        public DateOnly? EffectiveFrom { get; set; }
        public string? NameZh { get; set; }
        public string? NameEn { get; set; }
        public string? DescriptionZh { get; set; }
        public string? DescriptionEn { get; set; }
        public string? LegalBasisZh { get; set; }
        public string? LegalBasisEn { get; set; }
        public bool OnlineBySubject { get; set; }
        public bool MatterRequired { get; set; }
        public string? BreachGradeDefault { get; set; }
        public List<string>? AliasesZh { get; set; }
    }

    private sealed class TargetDto
    {
        public string? Id { get; set; }
        public List<string>? Kinds { get; set; }
        public string? Denominator { get; set; }
        public decimal? TargetPercent { get; set; }
        public List<string>? Matters { get; set; }
        public string? SourceZh { get; set; }
        public string? SourceEn { get; set; }
    }
}
