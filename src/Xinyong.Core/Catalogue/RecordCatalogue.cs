using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xinyong.Core.Catalogue;

/// <summary>The set of record types the platform collects, loaded from catalogue JSON documents.</summary>
public sealed class RecordCatalogue
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new RuleDefinitionConverterFactory() },
    };

    private readonly Dictionary<string, RecordType> _types;

    public RecordCatalogue(IEnumerable<RecordType> types)
    {
        _types = types.ToDictionary(t => t.Code, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyCollection<RecordType> Types => _types.Values;

    public RecordType this[string code] =>
        _types.TryGetValue(code, out var t) ? t : throw new KeyNotFoundException($"Unknown record type '{code}'.");

    public bool TryGet(string code, out RecordType type) => _types.TryGetValue(code, out type!);

    /// <summary>The catalogue shipped with the platform (national penalty and licence formats).</summary>
    public static RecordCatalogue LoadDefault()
    {
        var asm = typeof(RecordCatalogue).Assembly;
        var types = asm.GetManifestResourceNames()
            .Where(n => n.StartsWith("Xinyong.Core.Catalogue.Types.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var s = asm.GetManifestResourceStream(n)!;
                return Parse(s);
            });
        return new RecordCatalogue(types);
    }

    public static RecordType Parse(Stream json)
    {
        var type = JsonSerializer.Deserialize<RecordType>(json, JsonOptions)
                   ?? throw new InvalidDataException("Empty catalogue document.");
        Check(type);
        return type;
    }

    public static RecordType Parse(string json)
    {
        using var ms = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return Parse(ms);
    }

    public static string Serialize(RecordType type) => JsonSerializer.Serialize(type, JsonOptions);

    /// <summary>Refuses a catalogue entry whose references do not resolve, so errors show at load, not per row.</summary>
    private static void Check(RecordType t)
    {
        var names = new HashSet<string>(t.Fields.Select(f => f.Name), StringComparer.Ordinal);
        var referenced = new List<string> { t.DecisionDate, t.DecisionNumber, t.Authority.Name, t.Authority.Code,
            t.Subject.Name, t.Subject.Kind, t.Subject.CreditCode, t.Subject.IdType, t.Subject.IdNumber, t.Subject.LegalRepresentative };
        referenced.AddRange(t.BusinessKey.SelectMany(k => k.Split('|')));
        referenced.AddRange(t.Subject.LegacyCodes.Keys);
        if (t.Amount is not null) referenced.Add(t.Amount);
        foreach (var r in t.Rules)
        {
            if (r.Field is not null) referenced.Add(r.Field);
            if (r.Other is not null) referenced.Add(r.Other);
            if (r.WhenField is not null) referenced.Add(r.WhenField);
            if (r.Fields is not null) referenced.AddRange(r.Fields);
        }
        var missing = referenced.Where(n => !names.Contains(n)).Distinct().ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"Catalogue entry '{t.Code}' references unknown fields: {string.Join(", ", missing)}.");
        var dupes = t.Fields.SelectMany(f => f.Aliases.Append(f.Name)).GroupBy(a => a, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0)
            throw new InvalidDataException($"Catalogue entry '{t.Code}' maps one heading to several fields: {string.Join(", ", dupes)}.");
    }

    /// <summary>"equals" is a C# keyword clash on the property; map it explicitly.</summary>
    private sealed class RuleDefinitionConverterFactory : JsonConverter<RuleDefinition>
    {
        public override RuleDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            var e = doc.RootElement;
            string? S(string n) => e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var kind = Enum.Parse<RuleKind>(S("kind") ?? throw new JsonException("rule without kind"), ignoreCase: true);
            return new RuleDefinition
            {
                Kind = kind,
                Field = S("field"),
                Other = S("other"),
                WhenField = S("whenField"),
                EqualsValue = S("equals"),
                NotEquals = S("notEquals"),
                Contains = S("contains"),
                Fields = e.TryGetProperty("fields", out var fs) ? fs.EnumerateArray().Select(x => x.GetString()!).ToList() : null,
            };
        }

        public override void Write(Utf8JsonWriter writer, RuleDefinition value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(value.Kind.ToString()));
            void W(string n, string? v) { if (v is not null) writer.WriteString(n, v); }
            W("field", value.Field);
            W("other", value.Other);
            W("whenField", value.WhenField);
            W("equals", value.EqualsValue);
            W("notEquals", value.NotEquals);
            W("contains", value.Contains);
            if (value.Fields is not null)
            {
                writer.WriteStartArray("fields");
                foreach (var f in value.Fields) writer.WriteStringValue(f);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
    }
}
