using System.Globalization;
using System.Text;
using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.CheckBench;

/// <summary>How a name given in the batch differs from the subject's real name.</summary>
internal static class Variants
{
    public const string Exact = "exact name";
    public const string Width = "bracket width （）↔()";
    public const string Suffix = "suffix 有限公司↔有限责任公司";
    public const string Spaces = "extra spaces";
    public const string Dropped = "one character dropped";
    public const string Swapped = "two characters swapped";
    public const string Former = "former name";
    public const string Mixed = "suffix + width/spaces";

    public static readonly string[] All = [Exact, Width, Suffix, Spaces, Dropped, Swapped, Former, Mixed];
}

/// <summary>One name-only input row and who it really is.</summary>
internal sealed record NameRow(string Given, long SubjectId, string RealName, string Variant, bool NameShared);

/// <summary>
/// Names as clerks type them: <c>Names</c> enterprises picked with a seeded Random, an equal share per kind of variant,
/// each made from the enterprise's real current (or former) name. The ground truth is the enterprise itself; whether the
/// real name is also held by another subject (current or former name) is noted, since then no matcher can tell them apart.
/// </summary>
internal static class NameScenario
{
    private const string Long = "有限责任公司";
    private const string Short = "有限公司";

    public static async Task<IReadOnlyList<NameRow>> PrepareAsync(XinyongDatabase db, CheckBenchOptions o)
    {
        await using var conn = await db.OpenAsync();
        var names = (await conn.QueryAsync<(long Subject, string Name, bool Current)>(
            "SELECT n.subject_id, n.name, n.is_current FROM subject_names n JOIN subjects s ON s.id = n.subject_id WHERE s.kind = 'legal_person'")).ToList();
        var holders = names.GroupBy(n => n.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Subject).Distinct().Count(), StringComparer.Ordinal);
        var current = names.Where(n => n.Current).GroupBy(n => n.Subject).ToDictionary(g => g.Key, g => g.First().Name);
        var former = names.Where(n => !n.Current).GroupBy(n => n.Subject).ToDictionary(g => g.Key, g => g.First().Name);

        var rng = new Random(o.Seed + 1);
        var all = current.Keys.Order().ToList();
        CodeScenario.Shuffle(all, rng);
        var used = new HashSet<long>();
        var bracketed = new Queue<long>(all.Where(id => current[id].AsSpan().IndexOfAny("（(") >= 0));
        var withFormer = new Queue<long>(all.Where(former.ContainsKey));
        var any = new Queue<long>(all);
        var rows = new List<NameRow>(o.Names);
        for (var i = 0; i < o.Names; i++)
        {
            var variant = Variants.All[i % Variants.All.Length];
            var pool = variant switch { Variants.Width => bracketed, Variants.Former => withFormer, _ => any };
            if (Next(pool, used) is not { } id)
            {
                if (Next(any, used) is not { } other) throw new ArgumentException($"The database has too few enterprises for --names {o.Names:N0}.");
                id = other;
                variant = Variants.Suffix;
            }
            var real = variant == Variants.Former ? former[id] : current[id];
            var given = Make(real, variant, rng);
            rows.Add(new NameRow(given, id, real, variant, holders[real] > 1));
        }
        return rows;
    }

    private static long? Next(Queue<long> pool, HashSet<long> used)
    {
        while (pool.TryDequeue(out var id))
        {
            if (used.Add(id)) return id;
        }
        return null;
    }

    public static string Make(string name, string variant, Random rng) => variant switch
    {
        Variants.Exact or Variants.Former => name,
        Variants.Width => SwapWidth(name),
        Variants.Suffix => SwapSuffix(name),
        Variants.Spaces => AddSpaces(name, rng),
        Variants.Dropped => Drop(name, rng),
        Variants.Swapped => Swap(name, rng),
        _ => name.AsSpan().IndexOfAny("（(") >= 0 ? SwapWidth(SwapSuffix(name)) : AddSpaces(SwapSuffix(name), rng),
    };

    private static string SwapWidth(string s) => s.Contains('（', StringComparison.Ordinal)
        ? s.Replace('（', '(').Replace('）', ')')
        : s.Replace('(', '（').Replace(')', '）');

    private static string SwapSuffix(string s) =>
        s.EndsWith(Long, StringComparison.Ordinal) ? s[..^Long.Length] + Short
        : s.EndsWith(Short, StringComparison.Ordinal) && !s.EndsWith("股份" + Short, StringComparison.Ordinal) ? s[..^Short.Length] + Long
        : s + "有限公司";

    /// <summary>One to two spaces (half- or full-width) inside, sometimes one at either end.</summary>
    private static string AddSpaces(string s, Random rng)
    {
        var b = new StringBuilder(s);
        var n = 1 + rng.Next(2);
        for (var k = 0; k < n; k++) b.Insert(1 + rng.Next(b.Length - 1), rng.Next(2) == 0 ? ' ' : '\u3000');
        if (rng.Next(3) == 0) b.Append(' ');
        if (rng.Next(3) == 0) b.Insert(0, ' ');
        return b.ToString();
    }

    /// <summary>The core of the name: after a two-character place prefix, before the company-form suffix.</summary>
    private static (int From, int To) Core(string s)
    {
        var suffix = s.EndsWith(Long, StringComparison.Ordinal) ? Long.Length : s.EndsWith(Short, StringComparison.Ordinal) ? Short.Length : 0;
        return (Math.Min(2, s.Length - 1), Math.Max(Math.Min(2, s.Length - 1) + 1, s.Length - suffix));
    }

    private static string Drop(string s, Random rng)
    {
        var (from, to) = Core(s);
        var at = from + rng.Next(to - from);
        return s.Remove(at, 1);
    }

    private static string Swap(string s, Random rng)
    {
        var (from, to) = Core(s);
        if (to - from < 2) return Drop(s, rng);
        var at = from + rng.Next(to - from - 1);
        var c = s.ToCharArray();
        (c[at], c[at + 1]) = (c[at + 1], c[at]);
        // Two equal neighbours swap to the same name: drop a character instead, so every row really differs.
        return c[at] == c[at + 1] ? Drop(s, rng) : new string(c);
    }

    public static string Describe(IReadOnlyList<NameRow> rows) =>
        string.Join("; ", rows.Take(3).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Variant}: {r.RealName} → {r.Given}")));
}
