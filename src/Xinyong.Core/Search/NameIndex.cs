using System.Collections.Concurrent;
using Xinyong.Core.Subjects;

namespace Xinyong.Core.Search;

/// <summary>One subject found by name, with the explained match of its best name.</summary>
public sealed record NameHit(long SubjectId, SubjectKind Kind, bool IsCurrentName, MatchKey MatchedKey, NameMatch Match);

/// <summary>
/// A page of name hits, best first. <see cref="Total"/> counts the subjects scoring at least the minimum among
/// the candidates scored; when more candidates were found than scored it is a lower bound.
/// </summary>
public sealed record NameSearchResult(MatchKey Query, int Total, bool TotalIsLowerBound, IReadOnlyList<NameHit> Hits)
{
    public static readonly NameSearchResult None = new(MatchKey.Empty, 0, false, []);
}

/// <summary>
/// An immutable in-memory name index over subjects' current and former names, natural persons never included.
/// Candidates come from an inverted index of character pairs (only the rarest lists are read in full, see
/// Candidates), ranked by the rarity (IDF) of the pairs they share; the best are scored by <see cref="NameMatcher"/>. Changes make a new index that shares the large base block
/// (<see cref="With"/>), so readers never lock: hold a reference and search it.
/// </summary>
public sealed class NameIndex
{
    public static readonly NameIndex Empty = new(NameIndexSegment.Empty, NameIndexSegment.Empty, null);

    private static readonly ConcurrentBag<Scratch> Scratches = [];

    private readonly NameIndexSegment _base;
    private readonly NameIndexSegment _delta;

    /// <summary>Base entries replaced by later changes (one bit per base entry), or null.</summary>
    private readonly ulong[]? _dead;

    private NameIndex(NameIndexSegment @base, NameIndexSegment delta, ulong[]? dead)
    {
        _base = @base;
        _delta = delta;
        _dead = dead;
        var deadCount = 0;
        if (dead is not null)
        {
            foreach (var word in dead) deadCount += System.Numerics.BitOperations.PopCount(word);
        }
        Count = @base.Count - deadCount + delta.Count;
    }

    /// <summary>Live names (current and former) in the index.</summary>
    public int Count { get; }

    /// <summary>Names held in the small block that <see cref="With"/> rebuilds on every change.</summary>
    public int PendingCount => _delta.Count;

    /// <summary>Approximate size of the index arrays in bytes.</summary>
    public long EstimatedBytes => _base.EstimatedBytes + _delta.EstimatedBytes + ((_dead?.Length ?? 0) * 8L);

    /// <summary>Builds an index from names; natural persons and names without a core are left out.</summary>
    public static NameIndex Build(IEnumerable<IndexedName> names) =>
        new(NameIndexSegment.Build(IndexableOnly(names)), NameIndexSegment.Empty, null);

    /// <summary>
    /// A plain pre-sized copy: LINQ's ToList builds large lists from ArrayPool segments that the shared pool then
    /// keeps (32 MB for a million names, measured).
    /// </summary>
    private static List<IndexedName> IndexableOnly(IEnumerable<IndexedName> names)
    {
        var list = new List<IndexedName>(names is IReadOnlyCollection<IndexedName> c ? c.Count : 0);
        foreach (var n in names)
        {
            if (Indexable(n)) list.Add(n);
        }
        return list;
    }

    public static bool Indexable(IndexedName name) => name.Kind != SubjectKind.NaturalPerson && !name.Key.IsEmpty;

    /// <summary>
    /// A new index in which the given subjects have exactly the given names (their old names are dropped first);
    /// subjects in <paramref name="names"/> are replaced too. The base block is shared; the cost is proportional to
    /// the pending block, so callers should <see cref="Compact"/> when <see cref="PendingCount"/> grows large.
    /// </summary>
    public NameIndex With(IEnumerable<long> replacedSubjects, IEnumerable<IndexedName> names)
    {
        var added = IndexableOnly(names);
        var replaced = new HashSet<long>(replacedSubjects);
        foreach (var n in added) replaced.Add(n.SubjectId);
        if (replaced.Count == 0) return this;
        ulong[]? dead = _dead;
        foreach (var id in replaced)
        {
            var (start, end) = _base.EntriesOf(id);
            for (var e = start; e < end; e++)
            {
                if (IsDead(dead, e)) continue;
                dead ??= new ulong[(_base.Count + 63) / 64];
                if (ReferenceEquals(dead, _dead)) dead = (ulong[])_dead!.Clone();
                dead[e >> 6] |= 1UL << (e & 63);
            }
        }
        var pending = new List<IndexedName>(_delta.Count + added.Count);
        for (var e = 0; e < _delta.Count; e++)
        {
            if (!replaced.Contains(_delta.SubjectIds[e])) pending.Add(_delta.Get(e));
        }
        pending.AddRange(added);
        return new NameIndex(_base, NameIndexSegment.Build(pending), dead);
    }

    /// <summary>The live indexed names of one subject (empty for natural persons and unknown subjects).</summary>
    public IReadOnlyList<IndexedName> NamesOf(long subjectId)
    {
        var names = new List<IndexedName>(2);
        var (start, end) = _base.EntriesOf(subjectId);
        for (var e = start; e < end; e++)
        {
            if (!IsDead(_dead, e)) names.Add(_base.Get(e));
        }
        (start, end) = _delta.EntriesOf(subjectId);
        for (var e = start; e < end; e++) names.Add(_delta.Get(e));
        return names;
    }

    /// <summary>
    /// Subjects with at least one live name: one pass over each block (sorted by subject). A subject is never live in
    /// both blocks: <see cref="With"/> retires its base entries.
    /// </summary>
    public int CountSubjects()
    {
        var count = 0;
        var previous = long.MinValue;
        for (var e = 0; e < _base.Count; e++)
        {
            if (IsDead(_dead, e) || _base.SubjectIds[e] == previous) continue;
            previous = _base.SubjectIds[e];
            count++;
        }
        previous = long.MinValue;
        foreach (var id in _delta.SubjectIds)
        {
            if (id != previous) count++;
            previous = id;
        }
        return count;
    }

    /// <summary>A new index with every live name in one block (no pending block, no replaced entries).</summary>
    public NameIndex Compact()
    {
        var all = new List<IndexedName>(Count);
        for (var e = 0; e < _base.Count; e++)
        {
            if (!IsDead(_dead, e)) all.Add(_base.Get(e));
        }
        for (var e = 0; e < _delta.Count; e++) all.Add(_delta.Get(e));
        return new NameIndex(NameIndexSegment.Build(all), NameIndexSegment.Empty, null);
    }

    /// <summary>Searches by name; returns hits <paramref name="skip"/> .. skip + take of the ranked list.</summary>
    public NameSearchResult Search(string? query, int skip = 0, int take = 20, NameMatchOptions? options = null) =>
        Search(MatchKey.Parse(query), skip, take, options);

    public NameSearchResult Search(in MatchKey query, int skip = 0, int take = 20, NameMatchOptions? options = null)
    {
        options ??= NameMatchOptions.Default;
        if (query.IsEmpty || Count == 0) return NameSearchResult.None with { Query = query };
        var scratch = Rent(_base.Count + _delta.Count);
        try
        {
            var found = Candidates(query, options, scratch, out var moreThanScored);
            return Rank(query, found, skip, take, options, moreThanScored);
        }
        finally
        {
            Return(scratch);
        }
    }

    private static bool IsDead(ulong[]? dead, int entry) => dead is not null && (dead[entry >> 6] & (1UL << (entry & 63))) != 0;

    private (NameIndexSegment Segment, int Entry) Locate(int entry) =>
        entry < _base.Count ? (_base, entry) : (_delta, entry - _base.Count);

    /// <summary>
    /// Candidate generation with a count filter. A similar name shares at least n - B of the query's n distinct
    /// character pairs (<see cref="MaxBrokenPairs"/>), and a name containing the query has all of its inner pairs.
    /// By pigeonhole every such name appears in one of the B + 1 rarest pair lists (or in the rarest inner pair's
    /// list), so only those are read in full; the long lists of common pairs (科技, 制造, 管理 ...) are only probed
    /// for the entries already found. Entries meeting neither condition are dropped; the best
    /// <see cref="NameMatchOptions.MaxCandidates"/> by IDF weight go on to scoring.
    /// </summary>
    private List<int> Candidates(in MatchKey query, NameMatchOptions options, Scratch scratch, out bool moreThanScored)
    {
        Span<uint> grams = stackalloc uint[NameNormalizer.MaxLength + 1];
        var n = Grams.Distinct(grams[..Grams.Write(query.Core, grams)]);
        // (frequency << 8 | pair number), sorted: rarest pairs first.
        Span<long> order = stackalloc long[n];
        Span<ushort> weights = stackalloc ushort[n];
        Span<bool> inner = stackalloc bool[n];
        var live = Math.Max(1, Count);
        var innerCount = 0;
        var rarestInner = -1;
        for (var i = 0; i < n; i++)
        {
            long df = _base.PostingsOf(grams[i]).Length + _delta.PostingsOf(grams[i]).Length;
            order[i] = (df << 8) | (long)i;
            weights[i] = df == 0 ? (ushort)0 : (ushort)Math.Clamp(Math.Round(Math.Log(1 + ((double)live / df)) * 40), 1, 600);
            inner[i] = grams[i] >> 16 > 2 && (grams[i] & 0xFFFF) > 2;
            if (inner[i])
            {
                innerCount++;
                if (rarestInner < 0 || df < order[rarestInner] >> 8) rarestInner = i;
            }
        }
        order.Sort();

        var threshold = Math.Max(1, n - MaxBrokenPairs(query.Core.Length, options));
        // Read in full: the rarest n - threshold + 1 lists, and the rarest inner pair's list (names containing the query).
        Span<bool> read = stackalloc bool[n];
        var budget = options.PostingBudget;
        var lowerBound = false;
        for (var k = 0; k < n; k++)
        {
            var i = (int)(order[k] & 0xFF);
            var df = (int)(order[k] >> 8);
            var wanted = k < n - threshold + 1 || i == rarestInner;
            if (!wanted) continue;
            if (df > budget && k > 0)
            {
                lowerBound = true;
                continue;
            }
            read[i] = true;
            budget -= df;
            ScanBase(_base.PostingsOf(grams[i]), Pack(weights[i], inner[i]), scratch);
        }
        var baseTouched = scratch.TouchedCount;
        if (baseTouched > 0)
        {
            // Galloping needs the found entries in order; one pass over a list does not.
            var sorted = false;
            for (var i = 0; i < n; i++)
            {
                if (read[i]) continue;
                var postings = _base.PostingsOf(grams[i]);
                if (!sorted && Gallops(baseTouched, postings.Length))
                {
                    scratch.Touched.AsSpan(0, baseTouched).Sort();
                    sorted = true;
                }
                Probe(postings, Pack(weights[i], inner[i]), scratch, baseTouched);
            }
        }
        // The pending block is small: every list is read in full.
        for (var i = 0; i < n; i++) ScanDelta(_delta.PostingsOf(grams[i]), _base.Count, Pack(weights[i], inner[i]), scratch);

        var heap = new TopK(options.MaxCandidates);
        var passing = 0;
        var queryLength = query.Core.Length;
        var acc = scratch.Acc;
        for (var t = 0; t < scratch.TouchedCount; t++)
        {
            var entry = scratch.Touched[t];
            var a = acc[entry];
            var count = (int)((a >> 16) & 0xFF);
            var innerShared = (int)(a >> 24);
            if (count < threshold && (innerCount == 0 || innerShared < innerCount)) continue;
            if (entry < _base.Count && IsDead(_dead, entry)) continue;
            passing++;
            var (segment, local) = Locate(entry);
            var lengthGap = Math.Min(Math.Abs(segment.CoreLength(local) - queryLength), 127);
            // Weight, then closeness in length, then the lower entry: later entries of equal rank fail the heap's
            // first comparison instead of replacing its root.
            heap.Offer(((long)(a & 0xFFFF) << 40) | ((long)(127 - lengthGap) << 32) | (uint)(int.MaxValue - entry));
        }
        moreThanScored = lowerBound || passing > options.MaxCandidates;
        return heap.Entries();
    }

    /// <summary>Edits a similar name of this length may differ by and still score at least the minimum.</summary>
    internal static int AllowedEdits(int length, NameMatchOptions options)
    {
        var edits = NameMatcher.MaxEdits(length);
        while (edits > 0 && !NameMatcher.SimilarCanReach(edits, length, options)) edits--;
        return edits;
    }

    /// <summary>
    /// The most query pairs a similar name can lack. A substitution or deletion breaks two pairs, an insertion one; a
    /// name k characters longer needs k insertions and may differ by the edits allowed at its own length, so it
    /// lacks at most 2 * edits(length + k) - k. (A swap of neighbours counts as one edit in the score but breaks
    /// three pairs: such names are found only when they share enough pairs otherwise.)
    /// </summary>
    internal static int MaxBrokenPairs(int queryLength, NameMatchOptions options)
    {
        var broken = 2 * AllowedEdits(queryLength, options);
        for (var k = 1; k <= 8; k++) broken = Math.Max(broken, (2 * AllowedEdits(queryLength + k, options)) - k);
        return broken;
    }

    /// <summary>Accumulator cell: IDF weight (16 bits), shared pairs (8 bits), shared inner pairs (8 bits).</summary>
    private static uint Pack(ushort weight, bool inner) => weight | (1u << 16) | (inner ? 1u << 24 : 0);

    private static void Add(uint[] acc, int entry, uint cell)
    {
        var a = acc[entry];
        var weight = Math.Min(0xFFFFu, (a & 0xFFFF) + (cell & 0xFFFF));
        acc[entry] = ((a & 0xFFFF0000) + (cell & 0xFFFF0000)) | weight;
    }

    private static void ScanBase(ReadOnlySpan<int> postings, uint cell, Scratch scratch)
    {
        var acc = scratch.Acc;
        foreach (var e in postings)
        {
            if (acc[e] == 0) scratch.Touch(e);
            Add(acc, e, cell);
        }
    }

    private static void ScanDelta(ReadOnlySpan<int> postings, int offset, uint cell, Scratch scratch)
    {
        var acc = scratch.Acc;
        foreach (var p in postings)
        {
            var e = p + offset;
            if (acc[e] == 0) scratch.Touch(e);
            Add(acc, e, cell);
        }
    }

    private static bool Gallops(int found, int postings) => (long)found * 8 < postings;

    /// <summary>
    /// Adds a long list's pair to the entries found so far (sorted, the first <paramref name="found"/> of the touched
    /// list): by galloping search when they are few, by one pass over the list otherwise.
    /// </summary>
    private static void Probe(ReadOnlySpan<int> postings, uint cell, Scratch scratch, int found)
    {
        if (postings.IsEmpty) return;
        var acc = scratch.Acc;
        var touched = scratch.Touched.AsSpan(0, found);
        if (!Gallops(found, postings.Length))
        {
            foreach (var e in postings)
            {
                if (acc[e] != 0) Add(acc, e, cell);
            }
            return;
        }
        var pos = 0;
        foreach (var e in touched)
        {
            if (postings[pos] < e)
            {
                // Gallop: postings[pos + bound / 2] < e; the first posting >= e lies in (pos + bound / 2, pos + bound].
                var bound = 1;
                while (pos + bound < postings.Length && postings[pos + bound] < e) bound <<= 1;
                var low = pos + (bound >> 1) + 1;
                var high = Math.Min(pos + bound, postings.Length - 1);
                while (low <= high)
                {
                    var mid = (low + high) >>> 1;
                    if (postings[mid] < e) low = mid + 1;
                    else high = mid - 1;
                }
                pos = low;
                if (pos >= postings.Length) return;
            }
            if (postings[pos] == e)
            {
                Add(acc, e, cell);
                if (++pos >= postings.Length) return;
            }
        }
    }

    private readonly record struct Scored(double Score, int Entry, long SubjectId, bool Current, int CoreLength);

    private NameSearchResult Rank(in MatchKey query, List<int> candidates, int skip, int take, NameMatchOptions options, bool moreThanScored)
    {
        var best = new Dictionary<long, Scored>(candidates.Count);
        foreach (var entry in candidates)
        {
            var (segment, e) = Locate(entry);
            var current = segment.Current[e];
            var score = NameMatcher.Score(query, segment.Core(e), segment.Forms[e], segment.Places[e], !current, options);
            if (score < options.MinScore) continue;
            var s = new Scored(score, entry, segment.SubjectIds[e], current, segment.CoreLength(e));
            if (!best.TryGetValue(s.SubjectId, out var previous) || Better(s, previous)) best[s.SubjectId] = s;
        }
        var ranked = best.Values.ToList();
        ranked.Sort((a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        var hits = new List<NameHit>(Math.Min(take, Math.Max(0, ranked.Count - skip)));
        for (var i = Math.Max(0, skip); i < ranked.Count && hits.Count < take; i++)
        {
            var (segment, e) = Locate(ranked[i].Entry);
            var key = new MatchKey(segment.Core(e).ToString(), segment.Forms[e], segment.Places[e]);
            var match = NameMatcher.Match(query, key.Core, key.Form, key.Place, !segment.Current[e], options);
            hits.Add(new NameHit(segment.SubjectIds[e], (SubjectKind)segment.Kinds[e], segment.Current[e], key, match));
        }
        return new NameSearchResult(query, ranked.Count, moreThanScored, hits);
    }

    /// <summary>Higher score first; then the current name, the shorter name, the older subject.</summary>
    private static bool Better(in Scored a, in Scored b)
    {
        if (a.Score != b.Score) return a.Score > b.Score;
        if (a.Current != b.Current) return a.Current;
        if (a.CoreLength != b.CoreLength) return a.CoreLength < b.CoreLength;
        return a.SubjectId < b.SubjectId;
    }

    private static Scratch Rent(int size)
    {
        while (Scratches.TryTake(out var s))
        {
            if (s.Acc.Length >= size) return s;
        }
        return new Scratch(size);
    }

    private static void Return(Scratch scratch)
    {
        scratch.Reset();
        if (Scratches.Count < Environment.ProcessorCount * 4) Scratches.Add(scratch);
    }

    /// <summary>Per-search accumulators, reused across searches (cleared by the touched list, not by size).</summary>
    private sealed class Scratch(int size)
    {
        public uint[] Acc { get; } = new uint[size];
        public int[] Touched { get; private set; } = new int[4096];
        public int TouchedCount { get; private set; }

        public void Touch(int entry)
        {
            if (TouchedCount == Touched.Length)
            {
                var grown = new int[Touched.Length * 2];
                Touched.CopyTo(grown, 0);
                Touched = grown;
            }
            Touched[TouchedCount++] = entry;
        }

        public void Reset()
        {
            for (var i = 0; i < TouchedCount; i++) Acc[Touched[i]] = 0;
            TouchedCount = 0;
        }
    }

    /// <summary>The k largest keys (min-heap); the entry number is in the low 32 bits.</summary>
    private sealed class TopK(int k)
    {
        private readonly long[] _heap = new long[Math.Max(1, k)];
        private int _count;

        public void Offer(long key)
        {
            if (_count < _heap.Length)
            {
                var i = _count++;
                _heap[i] = key;
                while (i > 0)
                {
                    var parent = (i - 1) / 2;
                    if (_heap[parent] <= _heap[i]) break;
                    (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
                    i = parent;
                }
                return;
            }
            if (key <= _heap[0]) return;
            _heap[0] = key;
            var j = 0;
            while (true)
            {
                var l = (2 * j) + 1;
                if (l >= _count) break;
                var r = l + 1;
                var m = r < _count && _heap[r] < _heap[l] ? r : l;
                if (_heap[j] <= _heap[m]) break;
                (_heap[j], _heap[m]) = (_heap[m], _heap[j]);
                j = m;
            }
        }

        public List<int> Entries()
        {
            var list = new List<int>(_count);
            for (var i = 0; i < _count; i++) list.Add(int.MaxValue - (int)(_heap[i] & 0xFFFFFFFF));
            return list;
        }
    }
}
