using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Xinyong.Core.Catalogue;

namespace Xinyong.Data.Ingestion;

/// <summary>
/// A row's values as the stored JSON object (field name → value, empty fields left out), written straight into the
/// chunk's JSON block: the values' UTF-16 goes to UTF-8 in one pass, and only a value holding a quote, a backslash or a
/// control character is escaped (as System.Text.Json writes them: <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\u001F</c> …).
/// Other characters, Chinese text included, are written as they are. The reading thread writes every row's JSON, and
/// System.Text.Json's writer (with its check of every character against an encoder) was about a fifteenth of its time.
/// </summary>
internal sealed class RowJson(IReadOnlyList<FieldDefinition> fields)
{
    // Each field's `"NAME":`, encoded once.
    private readonly byte[][] _names = fields
        .Select(f => (byte[])[(byte)'"', .. JsonEncodedText.Encode(f.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes, (byte)'"', (byte)':'])
        .ToArray();

    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    /// <summary>The most bytes <see cref="Write"/> can take for these values (a control character escaped takes six).</summary>
    public int MaxLength(string?[] values)
    {
        var n = 2;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } s) n += _names[i].Length + 3 + s.Length * 6;
        }
        return n;
    }

    /// <summary>Writes the object into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns its length.</summary>
    public int Write(string?[] values, Span<byte> destination)
    {
        var pos = 0;
        destination[pos++] = (byte)'{';
        var first = true;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } s) continue;
            if (!first) destination[pos++] = (byte)',';
            first = false;
            _names[i].CopyTo(destination[pos..]);
            pos += _names[i].Length;
            destination[pos++] = (byte)'"';
            pos += WriteEscaped(s, destination[pos..]);
            destination[pos++] = (byte)'"';
        }
        destination[pos++] = (byte)'}';
        return pos;
    }

    private static int WriteEscaped(ReadOnlySpan<char> s, Span<byte> destination)
    {
        var pos = 0;
        while (true)
        {
            var next = s.IndexOfAny(Escaped);
            if (next < 0) return pos + Encoding.UTF8.GetBytes(s, destination[pos..]);
            pos += Encoding.UTF8.GetBytes(s[..next], destination[pos..]);
            var c = s[next];
            destination[pos++] = (byte)'\\';
            switch (c)
            {
                case '"': destination[pos++] = (byte)'"'; break;
                case '\\': destination[pos++] = (byte)'\\'; break;
                case '\n': destination[pos++] = (byte)'n'; break;
                case '\r': destination[pos++] = (byte)'r'; break;
                case '\t': destination[pos++] = (byte)'t'; break;
                case '\b': destination[pos++] = (byte)'b'; break;
                case '\f': destination[pos++] = (byte)'f'; break;
                default:
                    destination[pos++] = (byte)'u';
                    destination[pos++] = (byte)'0';
                    destination[pos++] = (byte)'0';
                    destination[pos++] = (byte)"0123456789ABCDEF"[c >> 4];
                    destination[pos++] = (byte)"0123456789ABCDEF"[c & 0xF];
                    break;
            }
            s = s[(next + 1)..];
        }
    }
}
