namespace Xinyong.Core.Search;

/// <summary>
/// A subject name taken apart for matching: the core name (字号 + 行业, e.g. 恒达机械制造), the company form that
/// ended it (有限公司) and the place that opened it (昆山市 -> 320583). Half-width, upper-case Latin, no whitespace,
/// punctuation or brackets. Two spellings of one name give equal keys.
/// </summary>
public readonly record struct MatchKey(string Core, byte Form, int Place)
{
    public static readonly MatchKey Empty = new("", 0, 0);

    public bool IsEmpty => Core.Length == 0;

    public string FormText => CompanyForms.Text(Form);

    public string PlaceText => PlaceNames.Display(Place);

    /// <summary>Parses a name as typed or stored; never throws.</summary>
    public static MatchKey Parse(string? name) => NameNormalizer.Parse(name);

    public override string ToString() => $"{PlaceText}|{Core}|{FormText}";
}

/// <summary>Turns names into <see cref="MatchKey"/>s.</summary>
public static class NameNormalizer
{
    /// <summary>Longer input is cut: no real name is longer, and it bounds the work per query.</summary>
    public const int MaxLength = 100;

    /// <summary>The core never shrinks below this by stripping place or form: "苏州银行" keeps 银行, "苏州市" stays 苏州市.</summary>
    private const int MinCore = 2;

    public static MatchKey Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return MatchKey.Empty;
        var source = name.Length > MaxLength ? name[..MaxLength] : name;
        Span<char> buffer = stackalloc char[MaxLength];
        var length = 0;
        var place = 0;
        var bracketStart = -1;
        foreach (var raw in source)
        {
            var c = Fold(raw);
            if (c == '(')
            {
                bracketStart = length;
            }
            else if (c == ')')
            {
                if (bracketStart >= 0 && PlaceNames.IsBracketedPlace(buffer[bracketStart..length], out var code))
                {
                    // 恒达（苏州）科技有限公司: the bracketed place is dropped from the core, as a leading place is.
                    length = bracketStart;
                    if (place == 0) place = code;
                }
                bracketStart = -1;
            }
            else if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
            }
        }
        var text = buffer[..length];
        if (text.IsEmpty) return MatchKey.Empty;

        // Form: "...有限公司", or for a branch the parent's form inside "...有限公司苏州分公司".
        byte form = 0;
        var (branchForm, branchStart, branchLength) = CompanyForms.MatchBranchParentForm(text);
        Span<char> joined = stackalloc char[MaxLength];
        if (branchForm != 0 && branchStart >= MinCore)
        {
            form = branchForm;
            text[..branchStart].CopyTo(joined);
            text[(branchStart + branchLength)..].CopyTo(joined[branchStart..]);
            text = joined[..(text.Length - branchLength)];
        }
        else
        {
            // At most two forms: 投资合伙企业（有限合伙） ends with 有限合伙 after 合伙企业; the outer one is kept.
            for (var round = 0; round < 2; round++)
            {
                var (id, len) = CompanyForms.MatchSuffix(text);
                if (id == 0 || text.Length - len < MinCore || (form != 0 && CompanyForms.Family(form) != FormFamily.Partnership)) break;
                if (form == 0) form = id;
                text = text[..^len];
            }
        }

        // Place: a chain of divisions, each within the previous (江苏省苏州市昆山市), then a town (玉山镇).
        var start = 0;
        var last = 0;
        while (true)
        {
            var (code, len) = PlaceNames.MatchPrefix(text[start..]);
            if (code == 0 || text.Length - start - len < MinCore || (last != 0 && !PlaceNames.Within(code, last))) break;
            last = code;
            start += len;
        }
        // A town or street, after the county or on its own (玉山镇张伟小吃店 as people write it locally).
        var town = TownLength(text[start..]);
        if (town > 0 && text.Length - start - town >= MinCore) start += town;
        if (last != 0) place = last;
        return new MatchKey(text[start..].ToString(), form, place);
    }

    /// <summary>Half-width, traditional characters simplified, brackets of every kind to ASCII parentheses.</summary>
    private static char Fold(char c)
    {
        if (c >= '\uFF01' && c <= '\uFF5E') c = (char)(c - 0xFEE0);
        if (c >= '\u4E00') return ChineseReadings.Simplify(c);
        return c switch
        {
            '(' or '[' or '{' or '〔' or '【' or '〖' or '［' or '｛' or '「' or '『' or '﹙' => '(',
            ')' or ']' or '}' or '〕' or '】' or '〗' or '］' or '｝' or '」' or '』' or '﹚' => ')',
            _ => c,
        };
    }

    /// <summary>A town or street: 玉山镇, 花桥镇, 陆家镇, 周市镇, 千灯镇, 淀山湖镇, 东沙街道 (two to four characters before 镇/乡/街道).</summary>
    private static int TownLength(ReadOnlySpan<char> text)
    {
        for (var len = 3; len <= 5 && len <= text.Length; len++)
        {
            var token = text[..len];
            if (token[^1] is '镇' or '乡') return len;
            if (len >= 4 && token.EndsWith("街道", StringComparison.Ordinal)) return len;
        }
        return 0;
    }
}
