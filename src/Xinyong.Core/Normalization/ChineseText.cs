using System.Text;

namespace Xinyong.Core.Normalization;

/// <summary>Normalisation of Chinese names and free text as departments type them.</summary>
public static class ChineseText
{
    /// <summary>
    /// A stored list of values ("警告;罚款": the national files separate the values of CF_CFLB / XK_XKLB with
    /// semicolons) written the way a reader writes it: 警告、罚款. Null stays null; a list of separators only is empty.
    /// </summary>
    public static string? JoinList(string? stored) =>
        stored is null ? null : string.Join("、", stored.Split([';', '；', ',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Full-width ASCII forms (！-～) and the ideographic space become their half-width forms.</summary>
    public static string ToHalfWidth(string value)
    {
        var needs = false;
        foreach (var c in value)
        {
            if (c == '\u3000' || (c >= '\uFF01' && c <= '\uFF5E')) { needs = true; break; }
        }
        if (!needs) return value;
        return string.Create(value.Length, value, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                span[i] = c == '\u3000' ? ' ' : c >= '\uFF01' && c <= '\uFF5E' ? (char)(c - 0xFEE0) : c;
            }
        });
    }

    /// <summary>
    /// The comparison key of a subject name: half-width, no whitespace, brackets unified to ASCII,
    /// Latin letters upper-case. "昆山 市（ABC）有限公司" and "昆山市(abc)有限公司" get the same key.
    /// </summary>
    public static string NameKey(string? name)
    {
        if (string.IsNullOrEmpty(name)) return string.Empty;
        var s = ToHalfWidth(name);
        // Most names are their own key already: then the string itself is the key, and nothing is allocated.
        var same = true;
        foreach (var c in s)
        {
            if (KeyChar(c) != c) { same = false; break; }
        }
        if (same) return s;
        var buffer = s.Length <= 256 ? stackalloc char[256] : new char[s.Length];
        var n = 0;
        foreach (var c in s)
        {
            if (KeyChar(c) is var k and not Dropped) buffer[n++] = k;
        }
        return new string(buffer[..n]);
    }

    private const char Dropped = '\uFFFF';

    /// <summary>What a character becomes in a name key: brackets unified to ASCII, Latin letters upper-case, white space dropped.</summary>
    private static char KeyChar(char c) => c switch
    {
        _ when char.IsWhiteSpace(c) || c == '\u200B' || c == '\uFEFF' => Dropped,
        '〔' or '［' or '【' or '[' => '(',
        '〕' or '］' or '】' or ']' => ')',
        >= 'a' and <= 'z' => (char)(c - 32),
        _ => c,
    };

    /// <summary>Trims and removes control characters that spreadsheets and copy-paste leave in cells.</summary>
    public static string CleanCell(string value)
    {
        var s = value.AsSpan().Trim();
        var clean = true;
        foreach (var c in s)
        {
            if (char.IsControl(c) || c == '\uFEFF' || c == '\u200B') { clean = false; break; }
        }
        if (clean) return s.Length == value.Length ? value : s.ToString();
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c == '\n' || c == '\t') sb.Append(' ');
            else if (!char.IsControl(c) && c != '\uFEFF' && c != '\u200B') sb.Append(c);
        }
        return sb.ToString().Trim();
    }
}
