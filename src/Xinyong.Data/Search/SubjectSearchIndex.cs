using System.Data.Common;
using System.Diagnostics;
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

    /// <summary>MAX(subjects.updated_at) at the last load or refresh, as the database returned it (text in SQLite).</summary>
    private object? _updatedSince;

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
            // Subjects created since are read above. (Filtered here, not in SQL: with "id <= @upTo" SQLite scans the
            // primary key instead of using ix_subjects_updated_at.)
            var updated = _updatedSince is null ? [] : (await conn.QueryAsync<long>(
                "SELECT id FROM subjects WHERE updated_at > @since AND kind <> 'natural_person'",
                new { since = _updatedSince })).Where(id => id <= _maxSubjectId).ToList();
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
            _updatedSince = maxUpdated ?? _updatedSince;
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
        var (index, subjects, read) = await ReadAllAsync(conn, (int)Math.Min(2_000_000, maxId + 1024), ct);
        _index = index;
        _maxSubjectId = maxId;
        _updatedSince = maxUpdated;
        return LastChange = new SearchIndexChange(true, subjects, read, index.Count, watch.Elapsed);
    }

    /// <summary>
    /// Two sequential scans instead of a join (a join reads one table in random order: 17 s instead of 2 s for 1M
    /// subjects in SQLite): the kinds other than legal person, then every name. The parsed names live only here.
    /// </summary>
    private static async Task<(NameIndex Index, int Subjects, int Names)> ReadAllAsync(DbConnection conn, int capacity, CancellationToken ct)
    {
        var kinds = new Dictionary<long, SubjectKind>();
        await using (var reader = await conn.ExecuteReaderAsync(new CommandDefinition(
            "SELECT id, kind FROM subjects WHERE kind <> 'legal_person'", cancellationToken: ct)))
        {
            while (await reader.ReadAsync(ct)) kinds[reader.GetInt64(0)] = SubjectKinds.FromCode(reader.GetString(1));
        }
        var names = new List<IndexedName>(capacity);
        await using (var reader = await conn.ExecuteReaderAsync(new CommandDefinition(
            "SELECT subject_id, name, is_current FROM subject_names", cancellationToken: ct)))
        {
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                var kind = kinds.GetValueOrDefault(id, SubjectKind.LegalPerson);
                if (kind == SubjectKind.NaturalPerson) continue;
                var name = new IndexedName(id, kind, reader.GetBoolean(2), MatchKey.Parse(reader.GetString(1)));
                if (NameIndex.Indexable(name)) names.Add(name);
            }
        }
        var index = NameIndex.Build(names);
        return (index, index.CountSubjects(), names.Count);
    }

    private static bool SameNames(IReadOnlyList<IndexedName> indexed, IEnumerable<IndexedName> read)
    {
        var fresh = read.ToList();
        return indexed.Count == fresh.Count && fresh.All(indexed.Contains);
    }

    /// <summary>
    /// MAX(id) and MAX(updated_at), the latter kept as returned and compared with "&gt;" on the next refresh. SQLite
    /// keeps timestamps as text, with or without trailing zeros; a strictly later instant still sorts strictly
    /// after as text, so the raw value is a safe bound and nothing written in the same batch is read twice.
    /// </summary>
    private static async Task<(long MaxId, object? MaxUpdated)> WatermarksAsync(DbConnection conn)
    {
        var row = await conn.QuerySingleAsync<(long? MaxId, object? MaxUpdated)>("SELECT MAX(id), MAX(updated_at) FROM subjects");
        return (row.MaxId ?? 0, row.MaxUpdated is DBNull ? null : row.MaxUpdated);
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
