using Xinyong.Core.Subjects;

namespace Xinyong.Core.Search;

/// <summary>A name parsed for the index: whose, which kind, current or former.</summary>
public readonly record struct IndexedName(long SubjectId, SubjectKind Kind, bool IsCurrent, MatchKey Key);

/// <summary>
/// An immutable block of indexed names in flat arrays (about 40 bytes per name plus the core text): entries sorted by
/// subject id, core names in one character pool, and an inverted index from character pair to the sorted entry
/// numbers that contain it (compressed sparse rows).
/// </summary>
internal sealed class NameIndexSegment
{
    public static readonly NameIndexSegment Empty = Build([]);

    private NameIndexSegment(int count)
    {
        SubjectIds = new long[count];
        Kinds = new byte[count];
        Current = new bool[count];
        Forms = new byte[count];
        Places = new int[count];
        CoreStart = new int[count + 1];
        Pool = [];
        GramKeys = [];
        GramStart = [0];
        Postings = [];
    }

    public int Count => SubjectIds.Length;
    public long[] SubjectIds { get; }
    public byte[] Kinds { get; }
    public bool[] Current { get; }
    public byte[] Forms { get; }
    public int[] Places { get; }
    public int[] CoreStart { get; }
    public char[] Pool { get; private set; }
    public uint[] GramKeys { get; private set; }
    public int[] GramStart { get; private set; }
    public int[] Postings { get; private set; }

    public ReadOnlySpan<char> Core(int entry) => Pool.AsSpan(CoreStart[entry], CoreStart[entry + 1] - CoreStart[entry]);

    public int CoreLength(int entry) => CoreStart[entry + 1] - CoreStart[entry];

    public IndexedName Get(int entry) =>
        new(SubjectIds[entry], (SubjectKind)Kinds[entry], Current[entry], new MatchKey(Core(entry).ToString(), Forms[entry], Places[entry]));

    /// <summary>The entries containing a character pair (sorted), empty when none.</summary>
    public ReadOnlySpan<int> PostingsOf(uint gram)
    {
        var i = Array.BinarySearch(GramKeys, gram);
        return i < 0 ? [] : Postings.AsSpan(GramStart[i], GramStart[i + 1] - GramStart[i]);
    }

    /// <summary>The entries of one subject, as a range (entries are sorted by subject id).</summary>
    public (int Start, int End) EntriesOf(long subjectId)
    {
        var i = Array.BinarySearch(SubjectIds, subjectId);
        if (i < 0) return (0, 0);
        var start = i;
        while (start > 0 && SubjectIds[start - 1] == subjectId) start--;
        var end = i + 1;
        while (end < SubjectIds.Length && SubjectIds[end] == subjectId) end++;
        return (start, end);
    }

    public long EstimatedBytes =>
        (Count * (8L + 1 + 1 + 1 + 4 + 4)) + (Pool.Length * 2L) + (GramKeys.Length * 8L) + (Postings.Length * 4L);

    /// <summary>Builds a segment; the names need not be sorted.</summary>
    public static NameIndexSegment Build(IReadOnlyList<IndexedName> names)
    {
        var order = new int[names.Count];
        var ids = new long[names.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            ids[i] = names[i].SubjectId;
        }
        Array.Sort(ids, order);
        var segment = new NameIndexSegment(names.Count);
        var poolLength = 0;
        foreach (var n in names) poolLength += n.Key.Core.Length;
        var pool = new char[poolLength];
        var at = 0;
        for (var e = 0; e < order.Length; e++)
        {
            var n = names[order[e]];
            segment.SubjectIds[e] = n.SubjectId;
            segment.Kinds[e] = (byte)n.Kind;
            segment.Current[e] = n.IsCurrent;
            segment.Forms[e] = n.Key.Form;
            segment.Places[e] = n.Key.Place;
            segment.CoreStart[e] = at;
            n.Key.Core.CopyTo(pool.AsSpan(at));
            at += n.Key.Core.Length;
        }
        segment.CoreStart[order.Length] = at;
        segment.Pool = pool;
        segment.BuildPostings();
        return segment;
    }

    /// <summary>Two passes over the entries: count each pair, then place each entry in its pair's row.</summary>
    private void BuildPostings()
    {
        var counts = new Dictionary<uint, int>(Math.Max(16, Count / 4));
        Span<uint> grams = stackalloc uint[NameNormalizer.MaxLength + 1];
        for (var e = 0; e < Count; e++)
        {
            var n = Grams.Distinct(grams[..Grams.Write(Core(e), grams)]);
            foreach (var g in grams[..n])
            {
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, g, out _)++;
            }
        }
        var keys = counts.Keys.ToArray();
        Array.Sort(keys);
        var start = new int[keys.Length + 1];
        for (var i = 0; i < keys.Length; i++)
        {
            start[i + 1] = start[i] + counts[keys[i]];
            counts[keys[i]] = i;
        }
        var cursor = start[..^1];
        var postings = new int[start[^1]];
        for (var e = 0; e < Count; e++)
        {
            var n = Grams.Distinct(grams[..Grams.Write(Core(e), grams)]);
            foreach (var g in grams[..n])
            {
                postings[cursor[counts[g]]++] = e;
            }
        }
        GramKeys = keys;
        GramStart = start;
        Postings = postings;
    }
}
