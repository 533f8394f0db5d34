using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Shouldly;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Ingestion;

namespace Xinyong.Data.Tests.Ingestion;

/// <summary>The stored JSON of a row: the same bytes System.Text.Json's writer made before, and the same values read back.</summary>
public sealed class RowJsonTests
{
    private static readonly RecordType Penalty = RecordCatalogue.LoadDefault()["penalty"];

    public static readonly TheoryData<string> Values = new()
    {
        "昆山丰东贸易有限公司", "91320583MA1MJGHB4P", "", "plain ascii", "引号\"在中间\"", "反斜杠\\结尾\\", "换行\n回车\r制表\t",
        "退格\b换页\f", "控制\u0001\u001F\u000B字符", "<script>&'</script>", "全角（括号）〔2026〕31号", "\u00e9\u00df",
    };

    [Theory, MemberData(nameof(Values))]
    public void Write_SameBytesAsSystemTextJson(string value)
    {
        var values = new string?[Penalty.Fields.Count];
        values[0] = value;
        values[3] = "第二个";
        values[^1] = value + value;

        Write(values).ShouldBe(Reference(values));
    }

    [Fact]
    public void Write_EveryCharacterBelow128AndSupplementary_ReadsBackTheSameValues()
    {
        var values = new string?[Penalty.Fields.Count];
        var all = new StringBuilder();
        for (var c = 0; c < 128; c++) all.Append((char)c);
        values[1] = all.ToString();
        values[2] = "表情😀与汉字𠀀";
        values[5] = null;
        values[6] = "";

        var json = Write(values);
        var back = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        back.Count.ShouldBe(3);
        back[Penalty.Fields[1].Name].ShouldBe(values[1]);
        back[Penalty.Fields[2].Name].ShouldBe(values[2]);
        back[Penalty.Fields[6].Name].ShouldBe("");
    }

    [Fact]
    public void Write_NoValues_EmptyObject() => Encoding.UTF8.GetString(Write(new string?[Penalty.Fields.Count])).ShouldBe("{}");

    private static byte[] Write(string?[] values)
    {
        var json = new RowJson(Penalty.Fields);
        var buffer = new byte[json.MaxLength(values)];
        return buffer[..json.Write(values, buffer)];
    }

    private static byte[] Reference(string?[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } s) w.WriteString(Penalty.Fields[i].Name, s);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
