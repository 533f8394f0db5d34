using System.Collections.Frozen;
using Xinyong.Identifiers;

namespace Xinyong.Core.Search;

/// <summary>
/// Administrative place names as they open a company name (行政区划 in 企业名称: 江苏 / 苏州市 / 昆山市玉山镇),
/// mapped to their GB/T 2260 code so that two places can be compared (昆山 lies within 苏州).
/// </summary>
/// <remarks>
/// Every division is known by its full short name (苏州市, 吴中区, 江苏省). The bare form without 省/市 is only
/// known for provinces, the prefecture-level cities of Jiangsu and Suzhou's county-level cities: a bare 金华 or
/// 嘉兴 at the start of a name is as likely a trade name (字号) as a place.
/// </remarks>
public static class PlaceNames
{
    private static readonly string[] ExtraSuzhou =
    [
        "苏州工业园区=320500", "工业园区=320500", "苏州高新区=320505", "高新区=320505", "昆山开发区=320583", "昆山经济技术开发区=320583",
        "昆山高新区=320583", "吴江=320509", "吴江经济技术开发区=320509",
    ];

    private static readonly Lazy<Table> Names = new(Build);

    /// <summary>The division code of a place token (苏州市 -> 320500), or 0.</summary>
    public static int Find(ReadOnlySpan<char> token) =>
        Names.Value.Lookup.TryGetValue(token, out var code) ? code : 0;

    /// <summary>
    /// Whether a bracketed token is a place: 恒达（苏州）科技. There any known short name counts, and 中国 is a place
    /// without a code (<paramref name="code"/> 0).
    /// </summary>
    public static bool IsBracketedPlace(ReadOnlySpan<char> token, out int code)
    {
        code = Find(token);
        if (code != 0) return true;
        return Names.Value.BracketLookup.TryGetValue(token, out code);
    }

    /// <summary>The longest place token at the start of <paramref name="text"/> (at most 12 characters), as (code, length).</summary>
    public static (int Code, int Length) MatchPrefix(ReadOnlySpan<char> text)
    {
        var max = Math.Min(text.Length, Names.Value.MaxLength);
        for (var len = max; len >= 2; len--)
        {
            if (Names.Value.Lookup.TryGetValue(text[..len], out var code)) return (code, len);
        }
        return (0, 0);
    }

    /// <summary>The short display name of a code: 320583 -> 昆山, for explanations.</summary>
    public static string Display(int code) =>
        code == 0 ? "" : Names.Value.Display.TryGetValue(code, out var name) ? name : code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="inner"/> lies within <paramref name="outer"/> (or is it).</summary>
    public static bool Within(int inner, int outer)
    {
        if (inner == outer) return true;
        if (outer % 10000 == 0) return inner / 10000 == outer / 10000;
        if (outer % 100 == 0) return inner / 100 == outer / 100;
        return false;
    }

    /// <summary>How two places relate: the same, one within the other, or different.</summary>
    public static PlaceRelation Compare(int a, int b)
    {
        if (a == 0 || b == 0) return a == b ? PlaceRelation.Same : PlaceRelation.Missing;
        if (a == b) return PlaceRelation.Same;
        return Within(a, b) || Within(b, a) ? PlaceRelation.Nested : PlaceRelation.Different;
    }

    private sealed record Table(
        FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup,
        FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> BracketLookup,
        Dictionary<int, string> Display,
        int MaxLength);

    private static Table Build()
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var bracketTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var display = new Dictionary<int, string>();

        void Add(Dictionary<string, int> into, string token, int code)
        {
            if (token.Length >= 2) into.TryAdd(token, code);
        }

        for (var province = 11; province <= 82; province++)
        {
            var p = province * 10000;
            if (!DivisionCodes.TryGetName(Code(p), out var provinceName)) continue;
            Add(tokens, provinceName, p);
            var bareProvince = Bare(provinceName);
            Add(tokens, bareProvince, p);
            display[p] = bareProvince;
            for (var city = 1; city <= 99; city++)
            {
                var c = p + (city * 100);
                var hasCity = DivisionCodes.TryGetName(Code(c), out var cityFull);
                if (hasCity)
                {
                    var cityName = cityFull![provinceName.Length..];
                    Add(tokens, cityName, c);
                    var bareCity = Bare(cityName);
                    if (province == 32) Add(tokens, bareCity, c);
                    Add(bracketTokens, bareCity, c);
                    display[c] = bareCity;
                }
                for (var county = 1; county <= 99; county++)
                {
                    var k = c + county;
                    if (!DivisionCodes.TryGetName(Code(k), out var countyFull)) continue;
                    var countyName = countyFull[(hasCity ? cityFull!.Length : provinceName.Length)..];
                    if (countyName.Length == 0) continue;
                    Add(tokens, countyName, k);
                    var bareCounty = Bare(countyName);
                    // Suzhou's county-level cities are written bare every day (昆山, 常熟); elsewhere only in brackets.
                    if (c == 320500 && countyName.EndsWith('市')) Add(tokens, bareCounty, k);
                    Add(bracketTokens, bareCounty, k);
                    display.TryAdd(k, bareCounty);
                }
            }
        }
        foreach (var extra in ExtraSuzhou)
        {
            var eq = extra.IndexOf('=', StringComparison.Ordinal);
            tokens[extra[..eq]] = int.Parse(extra.AsSpan(eq + 1), System.Globalization.CultureInfo.InvariantCulture);
        }
        // Inside brackets "中国" is a place (恒达（中国）有限公司); at the start it is part of the name (中国银行).
        bracketTokens.TryAdd("中国", 0);
        var frozen = tokens.ToFrozenDictionary(StringComparer.Ordinal);
        var bracketFrozen = bracketTokens.ToFrozenDictionary(StringComparer.Ordinal);
        return new Table(
            frozen.GetAlternateLookup<ReadOnlySpan<char>>(),
            bracketFrozen.GetAlternateLookup<ReadOnlySpan<char>>(),
            display,
            tokens.Keys.Max(k => k.Length));
    }

    private static string Code(int code) => code.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>江苏省 -> 江苏, 苏州市 -> 苏州, 广西壮族自治区 -> 广西, 吴中区 -> 吴中.</summary>
    private static string Bare(string name)
    {
        string[] suffixes = ["维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "自治州", "自治县", "地区", "省", "市", "区", "县", "盟", "旗"];
        foreach (var suffix in suffixes)
        {
            if (name.Length - suffix.Length >= 2 && name.EndsWith(suffix, StringComparison.Ordinal)) return name[..^suffix.Length];
        }
        return name;
    }
}

/// <summary>How the places in two names relate.</summary>
public enum PlaceRelation
{
    /// <summary>The same place, or neither name names one.</summary>
    Same,

    /// <summary>Only one of the names names a place.</summary>
    Missing,

    /// <summary>One place lies within the other (昆山 / 苏州).</summary>
    Nested,

    /// <summary>Two different places (苏州 / 无锡).</summary>
    Different,
}
