using System.Text.Json;

namespace Xinyong.Core.Search;

/// <summary>
/// Mandarin readings and simplified forms of the common CJK block (U+4E00-U+9FFF), from the Unicode Unihan database
/// (Search/Data/readings.json, made by make-readings.py). Pinyin input methods make same-sound mistakes
/// (恒达 typed as 恒大); names arrive in traditional characters now and then (蘇州…製造).
/// </summary>
public static class ChineseReadings
{
    private const char First = '\u4E00';
    private const char Last = '\u9FFF';

    private static readonly Lazy<(ushort[] Syllables, char[] Simplified)> Tables = new(Load);

    /// <summary>Whether two different characters are read alike (same syllable, tone ignored): 达/大, 恒/衡.</summary>
    public static bool SameSound(char a, char b)
    {
        if (a < First || a > Last || b < First || b > Last) return false;
        var syllables = Tables.Value.Syllables;
        var s = syllables[a - First];
        return s != 0 && s == syllables[b - First];
    }

    /// <summary>A number for the character's reading (equal numbers read alike), 0 when unknown.</summary>
    public static int Sound(char c) => c < First || c > Last ? 0 : Tables.Value.Syllables[c - First];

    /// <summary>The simplified form of a traditional character (製 -> 制, 蘇 -> 苏); other characters unchanged.</summary>
    public static char Simplify(char c) => c < First || c > Last ? c : Tables.Value.Simplified[c - First];

    private static (ushort[] Syllables, char[] Simplified) Load()
    {
        var syllables = new ushort[Last - First + 1];
        var simplified = new char[Last - First + 1];
        for (var i = 0; i < simplified.Length; i++) simplified[i] = (char)(First + i);
        using var stream = typeof(ChineseReadings).Assembly.GetManifestResourceStream("Xinyong.Core.Search.Data.readings.json")
            ?? throw new InvalidOperationException("The embedded Chinese readings table is missing.");
        using var json = JsonDocument.Parse(stream);
        ushort id = 0;
        foreach (var syllable in json.RootElement.GetProperty("pinyin").EnumerateObject())
        {
            id++;
            foreach (var c in syllable.Value.GetString()!)
            {
                if (c is >= First and <= Last) syllables[c - First] = id;
            }
        }
        var pairs = json.RootElement.GetProperty("simplified").GetString()!;
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (pairs[i] is >= First and <= Last) simplified[pairs[i] - First] = pairs[i + 1];
        }
        return (syllables, simplified);
    }
}
