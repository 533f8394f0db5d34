using System.Text.Json;

namespace Xinyong.Core.Measures;

/// <summary>One dated version of the feedback rules.</summary>
public sealed record MeasureRuleSet(DateOnly EffectiveFrom, int FeedbackWorkingDays, string? SourceZh);

/// <summary>The feedback deadline (working days) as dated data (measure-rules.json), optionally overridden by configuration.</summary>
public sealed class MeasureRules
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly IReadOnlyList<MeasureRuleSet> _sets;
    private readonly int? _override;

    public MeasureRules(string version, IReadOnlyList<MeasureRuleSet> sets, int? feedbackWorkingDaysOverride = null)
    {
        if (sets.Count == 0) throw new InvalidDataException("Measure rules: at least one rule set is required.");
        if (sets.Any(s => s.FeedbackWorkingDays is < 1 or > 60) || feedbackWorkingDaysOverride is < 1 or > 60)
            throw new InvalidDataException("Measure rules: feedbackWorkingDays must be between 1 and 60.");
        Version = version;
        _sets = sets.OrderBy(s => s.EffectiveFrom).ToList();
        _override = feedbackWorkingDaysOverride;
    }

    public string Version { get; }

    /// <summary>Working days a department has to report on a question asked on <paramref name="askedOn"/>.</summary>
    public int FeedbackWorkingDays(DateOnly askedOn) =>
        _override ?? (_sets.LastOrDefault(s => s.EffectiveFrom <= askedOn) ?? _sets[0]).FeedbackWorkingDays;

    public static MeasureRules LoadDefault(int? feedbackWorkingDaysOverride = null)
    {
        using var s = typeof(MeasureRules).Assembly.GetManifestResourceStream("Xinyong.Core.Measures.measure-rules.json")
                      ?? throw new InvalidOperationException("measure-rules.json is not embedded.");
        var dto = JsonSerializer.Deserialize<Dto>(s, Options) ?? throw new InvalidDataException("Empty measure rules.");
        return new MeasureRules(dto.Version ?? "unversioned",
            (dto.RuleSets ?? []).Select(r => new MeasureRuleSet(r.EffectiveFrom, r.FeedbackWorkingDays, r.SourceZh)).ToList(), feedbackWorkingDaysOverride);
    }

    private sealed class Dto
    {
        public string? Version { get; set; }
        public List<SetDto>? RuleSets { get; set; }
    }

    private sealed class SetDto
    {
        public DateOnly EffectiveFrom { get; set; }
        public int FeedbackWorkingDays { get; set; }
        public string? SourceZh { get; set; }
    }
}
