using System.Diagnostics.CodeAnalysis;

namespace Xinyong.Identifiers;

/// <summary>
/// Administrative division codes, GB/T 2260: provinces, prefecture-level cities and county-level divisions,
/// plus a few abolished codes that stay valid inside old identifiers. The table is embedded
/// (Data/gbt2260.txt) and loaded on first use.
/// </summary>
public static class DivisionCodes
{
    private static readonly string[] SuzhouCodes =
    [
        "320500", "320505", "320506", "320507", "320508", "320509", "320581", "320582", "320583", "320585",
    ];

    /// <summary>Suzhou city (3205xx) and its current districts and county-level cities, Kunshan (320583) included.</summary>
    public static IReadOnlyList<string> KunshanAndSuzhou => SuzhouCodes;

    /// <summary>Full name, e.g. 320583 -> 江苏省苏州市昆山市, 110105 -> 北京市朝阳区.</summary>
    public static bool TryGetName(string code6, [MaybeNullWhen(false)] out string fullName)
    {
        fullName = null;
        return code6 is not null && TryParseCode(code6, out var key) && Table.Names.TryGetValue(key, out fullName);
    }

    public static bool IsKnown(string code6) => code6 is not null && IsKnown(code6.AsSpan());

    internal static bool IsKnown(ReadOnlySpan<char> code6) =>
        TryParseCode(code6, out var key) && Table.Names.ContainsKey(key);

    private static bool TryParseCode(ReadOnlySpan<char> code6, out int key)
    {
        key = 0;
        if (code6.Length != 6)
        {
            return false;
        }

        foreach (var c in code6)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            key = (key * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Holder class so the table loads on first use, thread-safely, without a lock in the hot path.</summary>
    private static class Table
    {
        public static readonly Dictionary<int, string> Names = Load();

        private static Dictionary<int, string> Load()
        {
            var shortNames = new Dictionary<int, string>(4096);
            using (var stream = typeof(DivisionCodes).Assembly.GetManifestResourceStream("Xinyong.Identifiers.Data.gbt2260.txt")
                ?? throw new InvalidOperationException("The embedded GB/T 2260 table is missing."))
            using (var reader = new StreamReader(stream))
            {
                while (reader.ReadLine() is { } line)
                {
                    if (line.Length < 8 || line[0] == '#')
                    {
                        continue;
                    }

                    var tab = line.IndexOf('\t', StringComparison.Ordinal);
                    if (tab == 6 && TryParseCode(line.AsSpan(0, 6), out var code))
                    {
                        shortNames[code] = line[(tab + 1)..];
                    }
                }
            }

            var names = new Dictionary<int, string>(shortNames.Count);
            foreach (var (code, name) in shortNames)
            {
                names[code] = Compose(shortNames, code, name);
            }

            return names;
        }

        private static string Compose(Dictionary<int, string> shortNames, int code, string name)
        {
            if (code % 10000 == 0)
            {
                return name;
            }

            var province = shortNames.GetValueOrDefault(code / 10000 * 10000, string.Empty);
            if (code % 100 == 0)
            {
                return string.Concat(province, name);
            }

            // Municipalities and province-administered counties have no prefecture entry.
            var city = shortNames.GetValueOrDefault(code / 100 * 100, string.Empty);
            return string.Concat(province, city, name);
        }
    }
}
