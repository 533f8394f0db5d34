using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xinyong.Core.DueProcess;

/// <summary>Objection deadlines in working days, cumulative from filing: acknowledge, then verify, then decide.</summary>
public sealed record ObjectionDeadlineRules(int AcknowledgeWorkingDays, int VerifyWorkingDays, int DecideWorkingDays);

/// <summary>Repair deadlines (working days from submission) and conditions.</summary>
public sealed record RepairRules(
    int AcceptWorkingDays,
    int DecideWorkingDays,
    int ReapplyAfterDays,
    bool MinorGradeImmediate,
    bool RequiresObligationsPerformed,
    bool RequiresCommitment);

/// <summary>One dated set of due-process rules: applies to cases opened on or after <see cref="EffectiveFrom"/> until the next set.</summary>
public sealed record DueProcessRuleSet(string Id, DateOnly EffectiveFrom, string TitleZh, string TitleEn, ObjectionDeadlineRules Objection, RepairRules Repair);

/// <summary>The due-process rules as data (due-process-rules.json): dated sets of deadlines and repair conditions.</summary>
public sealed class DueProcessRules
{
    public const string DefaultResourceName = "Xinyong.Core.DueProcess.due-process-rules.json";

    private static readonly Lazy<DueProcessRules> Default = new(() =>
    {
        using var s = typeof(DueProcessRules).Assembly.GetManifestResourceStream(DefaultResourceName)
                      ?? throw new InvalidOperationException("due-process-rules.json is not embedded.");
        return Parse(s);
    });

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public required string Version { get; init; }
    public required IReadOnlyList<DueProcessRuleSet> RuleSets { get; init; }

    public static DueProcessRules LoadDefault() => Default.Value;

    /// <exception cref="InvalidDataException">The data is malformed: missing sets, negative or zero deadlines, dates out of order.</exception>
    public static DueProcessRules Parse(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Document? doc;
        try
        {
            doc = JsonSerializer.Deserialize<Document>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("Due-process rules are not valid JSON: " + e.Message, e);
        }
        if (doc?.RuleSets is not { Count: > 0 }) throw new InvalidDataException("Due-process rules need at least one rule set.");
        var sets = new List<DueProcessRuleSet>();
        foreach (var s in doc.RuleSets)
        {
            if (string.IsNullOrWhiteSpace(s.Id) || s.Objection is null || s.Repair is null)
                throw new InvalidDataException($"Rule set '{s.Id}' needs an id, \"objection\" and \"repair\".");
            if (!DateOnly.TryParseExact(s.EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
                throw new InvalidDataException($"Rule set '{s.Id}': effectiveFrom '{s.EffectiveFrom}' is not a yyyy-MM-dd date.");
            var o = s.Objection;
            var r = s.Repair;
            if (o.AcknowledgeWorkingDays < 1 || o.VerifyWorkingDays < 1 || o.DecideWorkingDays < 1 || r.AcceptWorkingDays < 1 || r.DecideWorkingDays < r.AcceptWorkingDays || r.ReapplyAfterDays < 0)
                throw new InvalidDataException($"Rule set '{s.Id}': deadlines must be at least one working day, and a repair decision cannot be due before acceptance.");
            sets.Add(new DueProcessRuleSet(s.Id, from, s.TitleZh ?? s.Id, s.TitleEn ?? s.Id, o, r));
        }
        sets.Sort((a, b) => a.EffectiveFrom.CompareTo(b.EffectiveFrom));
        for (var i = 1; i < sets.Count; i++)
        {
            if (sets[i].EffectiveFrom == sets[i - 1].EffectiveFrom)
                throw new InvalidDataException($"Rule sets '{sets[i - 1].Id}' and '{sets[i].Id}' take effect on the same day.");
        }
        return new DueProcessRules { Version = doc.Version ?? "", RuleSets = sets };
    }

    /// <summary>The rule set in force on <paramref name="date"/> (the earliest set for dates before every set).</summary>
    public DueProcessRuleSet RuleSetOn(DateOnly date)
    {
        var current = RuleSets[0];
        foreach (var s in RuleSets)
        {
            if (s.EffectiveFrom <= date) current = s;
        }
        return current;
    }

    private sealed class Document
    {
        public string? Version { get; set; }
        public List<SetDocument>? RuleSets { get; set; }
    }

    private sealed class SetDocument
    {
        public string Id { get; set; } = "";
        public string EffectiveFrom { get; set; } = "";
        public string? TitleZh { get; set; }
        public string? TitleEn { get; set; }
        [JsonPropertyName("objection")] public ObjectionDeadlineRules? Objection { get; set; }
        [JsonPropertyName("repair")] public RepairRules? Repair { get; set; }
    }
}
