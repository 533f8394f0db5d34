using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Xinyong.Core.Lists;

namespace Xinyong.Core.Checks;

/// <summary>What a rule does when it is met.</summary>
public enum RuleEffect
{
    /// <summary>The subject does not pass the check.</summary>
    Fail,

    /// <summary>A person must look at the subject before the matter goes on.</summary>
    Review,
}

/// <summary>Met when the subject has a list entry in force on the check date of one of the types or kinds.</summary>
public sealed record ListCondition(IReadOnlyList<string> Types, IReadOnlyList<string> Kinds)
{
    public bool Matches(string listType, string kind) =>
        Types.Contains(listType, StringComparer.Ordinal) || Kinds.Contains(kind, StringComparer.Ordinal);
}

/// <summary>
/// Met by a record of <see cref="Type"/> decided in the <see cref="WithinMonths"/> months up to the check date
/// (decision date &gt;= check date - months and &lt;= check date) that also meets every other filter given.
/// </summary>
public sealed record RecordCondition(
    string Type,
    int WithinMonths,
    IReadOnlyList<string> Grades,
    IReadOnlyList<string> Kinds,
    decimal? MinAmountWan,
    bool PublishedOnly)
{
    /// <summary>The earliest decision date that can meet the condition on <paramref name="checkDate"/>.</summary>
    public DateOnly Earliest(DateOnly checkDate) => checkDate.AddMonths(-WithinMonths);
}

/// <summary>One rule of a purpose. Exactly one of <see cref="List"/> and <see cref="Record"/> is set.</summary>
public sealed record CheckRule(string Id, RuleEffect Effect, string DescriptionZh, string DescriptionEn, ListCondition? List, RecordCondition? Record);

/// <summary>
/// A check purpose (信用核查用途) in one version: what the matter is, its legal basis and the rules that make a subject fail
/// or need review. <see cref="Version"/> counts the credit office's edits; <see cref="Hash"/> fingerprints the definition,
/// so a stored check names exactly the rules it ran under.
/// </summary>
public sealed record CheckPurpose(
    string Id,
    int Version,
    string NameZh,
    string NameEn,
    string BasisZh,
    string BasisEn,
    IReadOnlyList<CheckRule> Rules,
    string Definition,
    string Hash)
{
    public string RuleVersion => $"{Id}@{Version}:{Hash[..12]}";

    public IEnumerable<RecordCondition> RecordConditions => Rules.Where(r => r.Record is not null).Select(r => r.Record!);

    public IEnumerable<ListCondition> ListConditions => Rules.Where(r => r.List is not null).Select(r => r.List!);
}

/// <summary>Parses and validates purpose definitions (check-purposes.json, or one purpose edited by the credit office).</summary>
public static class CheckPurposes
{
    public const string DefaultResourceName = "Xinyong.Core.Checks.check-purposes.json";

    public static readonly IReadOnlySet<string> Grades = new HashSet<string>(StringComparer.Ordinal) { "minor", "general", "serious" };

    public static readonly IReadOnlySet<string> RecordTypes = new HashSet<string>(StringComparer.Ordinal) { "penalty", "licence" };

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The purpose definitions shipped with the platform (version 1 of each), as JSON texts by id.</summary>
    public static IReadOnlyList<string> DefaultDefinitions()
    {
        using var s = typeof(CheckPurposes).Assembly.GetManifestResourceStream(DefaultResourceName)
                      ?? throw new InvalidOperationException("check-purposes.json is not embedded.");
        using var doc = JsonDocument.Parse(s, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return doc.RootElement.GetProperty("purposes").EnumerateArray().Select(p => p.GetRawText()).ToList();
    }

    /// <summary>
    /// Parses one purpose definition. Refuses unknown list types and kinds, grades, record types, missing texts, empty
    /// rules, duplicate rule ids and non-positive periods, with the reason in Chinese and English.
    /// </summary>
    public static CheckPurpose Parse(string json, int version, ListTypeCatalogue listTypes)
    {
        PurposeDto dto;
        try
        {
            dto = JsonSerializer.Deserialize<PurposeDto>(json, Options) ?? throw Invalid("定义为空", "the definition is empty");
        }
        catch (JsonException ex)
        {
            throw Invalid($"JSON 格式错误：{ex.Message}", $"malformed JSON: {ex.Message}");
        }
        var id = dto.Id?.Trim();
        if (string.IsNullOrEmpty(id) || id.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            throw Invalid("用途标识（id）须为小写字母、数字和连字符", "id must be lower-case letters, digits and dashes");
        string Required(string? value, string field) =>
            string.IsNullOrWhiteSpace(value) ? throw Invalid($"用途 {id}：缺少 {field}", $"purpose {id}: '{field}' is required") : value.Trim();
        var nameZh = Required(dto.NameZh, "nameZh");
        var nameEn = Required(dto.NameEn, "nameEn");
        var basisZh = Required(dto.BasisZh, "basisZh");
        var basisEn = Required(dto.BasisEn, "basisEn");
        if (dto.Rules is not { Count: > 0 }) throw Invalid($"用途 {id}：至少需要一条规则", $"purpose {id}: at least one rule is required");
        var rules = new List<CheckRule>();
        foreach (var r in dto.Rules)
        {
            var ruleId = r.Id?.Trim();
            if (string.IsNullOrEmpty(ruleId)) throw Invalid($"用途 {id}：规则缺少 id", $"purpose {id}: a rule has no id");
            if (rules.Any(x => x.Id == ruleId)) throw Invalid($"用途 {id}：规则 {ruleId} 重复", $"purpose {id}: rule {ruleId} appears twice");
            if (r.Effect is null) throw Invalid($"规则 {ruleId}：effect 须为 fail 或 review", $"rule {ruleId}: effect must be fail or review");
            if ((r.List is null) == (r.Record is null))
                throw Invalid($"规则 {ruleId}：须且只能有一个条件（list 或 record）", $"rule {ruleId}: exactly one condition (list or record) is required");
            ListCondition? list = null;
            if (r.List is { } l)
            {
                var types = l.Types ?? [];
                var kinds = l.Kinds ?? [];
                if (types.Count + kinds.Count == 0) throw Invalid($"规则 {ruleId}：名单条件须列出名单类型或种类", $"rule {ruleId}: a list condition names list types or kinds");
                foreach (var t in types.Where(t => listTypes.Latest(t) is null))
                    throw Invalid($"规则 {ruleId}：未知的名单类型 {t}", $"rule {ruleId}: unknown list type {t}");
                foreach (var k in kinds.Where(k => k is not (ListKinds.Red or ListKinds.Black or ListKinds.Watch)))
                    throw Invalid($"规则 {ruleId}：名单种类须为 red、black 或 watch（{k}）", $"rule {ruleId}: list kind must be red, black or watch ({k})");
                list = new ListCondition(types, kinds);
            }
            RecordCondition? record = null;
            if (r.Record is { } c)
            {
                if (c.Type is null || !RecordTypes.Contains(c.Type)) throw Invalid($"规则 {ruleId}：记录类型须为 penalty 或 licence", $"rule {ruleId}: record type must be penalty or licence");
                if (c.WithinMonths is not (> 0 and <= 240)) throw Invalid($"规则 {ruleId}：withinMonths 须为 1 至 240", $"rule {ruleId}: withinMonths must be 1..240");
                foreach (var g in (c.Grades ?? []).Where(g => !Grades.Contains(g)))
                    throw Invalid($"规则 {ruleId}：未知的处罚等级 {g}", $"rule {ruleId}: unknown grade {g}");
                if (c.MinAmountWan is < 0) throw Invalid($"规则 {ruleId}：金额不能为负", $"rule {ruleId}: the amount cannot be negative");
                record = new RecordCondition(c.Type, c.WithinMonths.Value, c.Grades ?? [], c.Kinds ?? [], c.MinAmountWan, c.PublishedOnly);
            }
            rules.Add(new CheckRule(ruleId, r.Effect.Value, Required(r.DescriptionZh, $"{ruleId}.descriptionZh"), Required(r.DescriptionEn, $"{ruleId}.descriptionEn"), list, record));
        }
        // The stored text is the parsed definition written back compactly, so the hash does not depend on whitespace.
        var canonical = JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(json), Compact);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new CheckPurpose(id, version, nameZh, nameEn, basisZh, basisEn, rules, canonical, hash);
    }

    private static CheckPurposeException Invalid(string zh, string en) => new(zh, en);

    private sealed class PurposeDto
    {
        public string? Id { get; set; }
        public string? NameZh { get; set; }
        public string? NameEn { get; set; }
        public string? BasisZh { get; set; }
        public string? BasisEn { get; set; }
        public List<RuleDto>? Rules { get; set; }
    }

    private sealed class RuleDto
    {
        public string? Id { get; set; }
        public RuleEffect? Effect { get; set; }
        public string? DescriptionZh { get; set; }
        public string? DescriptionEn { get; set; }
        public ListDto? List { get; set; }
        public RecordDto? Record { get; set; }
    }

    private sealed class ListDto
    {
        public List<string>? Types { get; set; }
        public List<string>? Kinds { get; set; }
    }

    private sealed class RecordDto
    {
        public string? Type { get; set; }
        public int? WithinMonths { get; set; }
        public List<string>? Grades { get; set; }
        public List<string>? Kinds { get; set; }
        public decimal? MinAmountWan { get; set; }
        public bool PublishedOnly { get; set; }
    }
}

/// <summary>A purpose definition the platform refuses, with the reason in Chinese and English.</summary>
public sealed class CheckPurposeException(string messageZh, string messageEn) : Exception(messageEn)
{
    public string MessageZh { get; } = messageZh;
    public string MessageEn { get; } = messageEn;
}
