using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Xinyong.Core.Search;
using Xinyong.Core.Subjects;
using Xinyong.Data.Database;

namespace Xinyong.Data.Search;

/// <summary>What a load or refresh of the search index did.</summary>
public sealed record SearchIndexChange(bool FullLoad, int SubjectsChanged, int NamesIndexed, int IndexedNames, TimeSpan Elapsed);

/// <summary>
/// The in-memory name index over every subject's current and former names, natural persons left out. Loaded from the
/// database in one streaming pass on first use (<see cref="EnsureLoadedAsync"/>), brought up to date by
/// <see cref="RefreshAsync"/> (subjects created or updated since), which callers run after an ingest or a rename.
/// Readers take <see cref="Current"/> and search it without locks; a refresh swaps in a new index.
/// </summary>
public sealed class SubjectSearchIndex(XinyongDatabase db)
{
    /// <summary>Pending names above this share of the index are merged into its base block on refresh.</summary>
    private const double CompactShare = 0.05;

    private const int CompactMinimum = 20_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile NameIndex? _index;
    private long _maxSubjectId;
    private DateTime _updatedSince;

    /// <summary>The index as of the last load or refresh; <see cref="NameIndex.Empty"/> before the first load.</summary>
    public NameIndex Current => _index ?? NameIndex.Empty;

    public bool IsLoaded => _index is not null;

    /// <summary>The outcome of the last load or refresh, for health pages and logs.</summary>
    public SearchIndexChange? LastChange { get; private set; }

    /// <summary>Loads the index unless loaded; concurrent callers wait for the one load.</summary>
    public async ValueTask<NameIndex> EnsureLoadedAsync(CancellationToken ct = default)
    {
        if (_index is { } loaded) return loaded;
        await _gate.WaitAsync(ct);
        try
        {
            if (_index is null) await LoadAsync(ct);
            return _index!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reloads everything from the database (e.g. nightly, or after bulk corrections).</summary>
    public async Task<SearchIndexChange> ReloadAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await LoadAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Adds subjects created since the last load or refresh and re-reads the names of subjects updated since
    /// (subjects.updated_at) whose names differ from the indexed ones. Loads the index if it was never loaded. Cheap:
    /// two indexed queries and work proportional to the changes.
    /// </summary>
    public async Task<SearchIndexChange> RefreshAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_index is null) return await LoadAsync(ct);
            var watch = Stopwatch.StartNew();
            await using var conn = await db.OpenAsync(ct);
            var (maxId, maxUpdated) = await WatermarksAsync(conn);

            var names = new List<IndexedName>();
            var changed = new HashSet<long>();
            await ReadNamesAsync(conn,
                "SELECT n.subject_id, s.kind, n.name, n.is_current FROM subjects s JOIN subject_names n ON n.subject_id = s.id WHERE s.id > @from AND s.kind <> 'natural_person'",
                new { from = _maxSubjectId }, names, ct);
            foreach (var n in names) changed.Add(n.SubjectId);

            var index = _index;
            var updated = (await conn.QueryAsync<long>(
                "SELECT id FROM subjects WHERE updated_at >= @since AND id <= @upTo AND kind <> 'natural_person'",
                new { since = SinceParameter(_updatedSince), upTo = _maxSubjectId })).ToList();
            foreach (var chunk in updated.Chunk(5_000))
            {
                var read = new List<IndexedName>();
                await ReadNamesAsync(conn,
                    $"SELECT n.subject_id, s.kind, n.name, n.is_current FROM subject_names n JOIN subjects s ON s.id = n.subject_id WHERE n.subject_id {db.InList("ids")}",
                    new { ids = db.ListParam(chunk) }, read, ct);
                // Updated is not renamed: a new credit code also touches updated_at. Only changed names count.
                foreach (var subject in read.GroupBy(n => n.SubjectId))
                {
                    if (SameNames(index.NamesOf(subject.Key), subject)) continue;
                    changed.Add(subject.Key);
                    names.AddRange(subject);
                }
            }

            if (changed.Count > 0)
            {
                // Building the new index happens beside the current one; readers keep searching the old one meanwhile.
                index = index.With(changed, names);
                if (index.PendingCount > Math.Max(CompactMinimum, index.Count * CompactShare)) index = index.Compact();
                _index = index;
            }
            _maxSubjectId = Math.Max(_maxSubjectId, maxId);
            if (maxUpdated > _updatedSince) _updatedSince = maxUpdated;
            return LastChange = new SearchIndexChange(false, changed.Count, names.Count, index.Count, watch.Elapsed);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SearchIndexChange> LoadAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var conn = await db.OpenAsync(ct);
        // Watermarks first: whatever changes during the read is read again by the next refresh (idempotent).
        var (maxId, maxUpdated) = await WatermarksAsync(conn);
        var names = new List<IndexedName>((int)Math.Min(2_000_000, maxId + 1024));
        await ReadNamesAsync(conn,
            "SELECT n.subject_id, s.kind, n.name, n.is_current FROM subject_names n JOIN subjects s ON s.id = n.subject_id WHERE s.kind <> 'natural_person'",
            null, names, ct);
        var index = NameIndex.Build(names);
        var subjects = names.Count == 0 ? 0 : names.Select(n => n.SubjectId).Distinct().Count();
        _index = index;
        _maxSubjectId = maxId;
        _updatedSince = maxUpdated;
        return LastChange = new SearchIndexChange(true, subjects, names.Count, index.Count, watch.Elapsed);
    }

    private static bool SameNames(IReadOnlyList<IndexedName> indexed, IEnumerable<IndexedName> read)
    {
        var fresh = read.ToList();
        return indexed.Count == fresh.Count && fresh.All(indexed.Contains);
    }

    private static async Task<(long MaxId, DateTime MaxUpdated)> WatermarksAsync(DbConnection conn)
    {
        var row = await conn.QuerySingleAsync<(long? MaxId, object? MaxUpdated)>("SELECT MAX(id), MAX(updated_at) FROM subjects");
        var updated = row.MaxUpdated switch
        {
            DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
            DateTimeOffset o => o.UtcDateTime,
            string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => DateTime.MinValue,
        };
        return (row.MaxId ?? 0, updated);
    }

    /// <summary>
    /// The lower bound for updated_at, one second early so that a write within the same second as the last read is
    /// not missed (re-reading a subject is harmless). SQLite keeps timestamps as text in more than one precision;
    /// a whole-second text bound compares correctly with all of them.
    /// </summary>
    private object SinceParameter(DateTime since)
    {
        var bound = since == DateTime.MinValue ? since : since.AddSeconds(-1);
        return db.IsSqlite ? bound.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : bound;
    }

    private static async Task ReadNamesAsync(DbConnection conn, string sql, object? args, List<IndexedName> into, CancellationToken ct)
    {
        await using var reader = await conn.ExecuteReaderAsync(new CommandDefinition(sql, args, cancellationToken: ct));
        var kinds = new Dictionary<string, SubjectKind>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var kindCode = reader.GetString(1);
            if (!kinds.TryGetValue(kindCode, out var kind)) kinds[kindCode] = kind = SubjectKinds.FromCode(kindCode);
            var name = new IndexedName(reader.GetInt64(0), kind, reader.GetBoolean(3), MatchKey.Parse(reader.GetString(2)));
            if (NameIndex.Indexable(name)) into.Add(name);
        }
    }
}
