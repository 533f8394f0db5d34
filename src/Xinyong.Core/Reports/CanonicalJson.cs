using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Xinyong.Core.Reports;

/// <summary>
/// The canonical serialisation that a report's content hash is taken over, so that anyone holding the content can
/// recompute it: UTF-8 JSON, object members sorted by name (ordinal, UTF-16 code units), no insignificant whitespace,
/// nulls omitted, strings escaped only where JSON requires it (Chinese characters as themselves), dates as yyyy-MM-dd,
/// amounts as decimal strings. The hash is SHA-256 of those bytes, written as 64 lower-case hex digits.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions Serializer = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static byte[] Serialize<T>(T value) => Canonicalize(JsonSerializer.SerializeToNode(value, Serializer));

    /// <summary>Re-writes any JSON text in canonical form (used to check stored content).</summary>
    public static byte[] Canonicalize(string json) => Canonicalize(JsonNode.Parse(json));

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Serializer) ?? throw new InvalidDataException("Empty report content.");

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Canonicalize(JsonNode? node)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Writer))
        {
            Write(w, node);
        }
        return ms.ToArray();
    }

    private static void Write(Utf8JsonWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonObject o:
                w.WriteStartObject();
                foreach (var (name, value) in o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(name);
                    Write(w, value);
                }
                w.WriteEndObject();
                break;
            case JsonArray a:
                w.WriteStartArray();
                foreach (var item in a) Write(w, item);
                w.WriteEndArray();
                break;
            default:
                node.WriteTo(w);
                break;
        }
    }

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
