namespace Xinyong.Core.Search;

/// <summary>Edit distance for short names.</summary>
public static class EditDistance
{
    /// <summary>
    /// Optimal string alignment distance (insert, delete, substitute, swap two neighbours), or
    /// <paramref name="max"/> + 1 as soon as it must exceed <paramref name="max"/>.
    /// </summary>
    public static int Osa(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        if (a.IsEmpty) return b.Length;
        if (b.IsEmpty) return a.Length;
        var width = b.Length + 1;
        Span<int> rows = width * 3 <= 512 ? stackalloc int[width * 3] : new int[width * 3];
        var previous2 = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(width * 2, width);
        for (var j = 0; j < width; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j < width; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = Math.Min(d, previous2[j - 2] + 1);
                current[j] = d;
                if (d < rowMin) rowMin = d;
            }
            if (rowMin > max) return max + 1;
            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return Math.Min(previous[b.Length], max + 1);
    }
}

/// <summary>Edit distance in which a same-sound substitution (达/大) costs half an edit.</summary>
public static class SoundEditDistance
{
    public const double SameSoundCost = 0.5;

    /// <summary>Optimal string alignment cost with same-sound substitutions at <see cref="SameSoundCost"/>.</summary>
    public static double Osa(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.IsEmpty) return b.Length;
        if (b.IsEmpty) return a.Length;
        var width = b.Length + 1;
        Span<double> rows = width * 3 <= 256 ? stackalloc double[width * 3] : new double[width * 3];
        var previous2 = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(width * 2, width);
        for (var j = 0; j < width; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j < width; j++)
            {
                var x = a[i - 1];
                var y = b[j - 1];
                var cost = x == y ? 0 : ChineseReadings.SameSound(x, y) ? SameSoundCost : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == y) d = Math.Min(d, previous2[j - 2] + 1);
                current[j] = d;
            }
            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return previous[b.Length];
    }
}

/// <summary>Character pairs (bigrams) of a core name, with start and end markers so short names have pairs too.</summary>
public static class Grams
{
    private const char Start = '\u0001';
    private const char End = '\u0002';

    public static uint Pack(char a, char b) => ((uint)a << 16) | b;

    /// <summary>The number of pairs of a core of this length: one more than its characters.</summary>
    public static int Count(int length) => length == 0 ? 0 : length + 1;

    /// <summary>Writes the pairs of <paramref name="core"/> into <paramref name="into"/> and returns how many.</summary>
    public static int Write(ReadOnlySpan<char> core, Span<uint> into)
    {
        if (core.IsEmpty) return 0;
        into[0] = Pack(Start, core[0]);
        for (var i = 1; i < core.Length; i++) into[i] = Pack(core[i - 1], core[i]);
        into[core.Length] = Pack(core[^1], End);
        return core.Length + 1;
    }

    /// <summary>Sørensen-Dice coefficient of the pair sets of two cores (0..1).</summary>
    public static double Dice(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.IsEmpty || b.IsEmpty) return 0;
        Span<uint> ga = a.Length < 128 ? stackalloc uint[a.Length + 1] : new uint[a.Length + 1];
        Span<uint> gb = b.Length < 128 ? stackalloc uint[b.Length + 1] : new uint[b.Length + 1];
        var na = Distinct(ga[..Write(a, ga)]);
        var nb = Distinct(gb[..Write(b, gb)]);
        var shared = 0;
        foreach (var g in ga[..na])
        {
            if (gb[..nb].Contains(g)) shared++;
        }
        return 2.0 * shared / (na + nb);
    }

    /// <summary>Sorts the pairs and removes repeats in place; returns the distinct count.</summary>
    public static int Distinct(Span<uint> grams)
    {
        if (grams.Length <= 1) return grams.Length;
        grams.Sort();
        var n = 1;
        for (var i = 1; i < grams.Length; i++)
        {
            if (grams[i] != grams[n - 1]) grams[n++] = grams[i];
        }
        return n;
    }
}
