using System.Data.Common;
using Dapper;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Subjects;
using Xinyong.Core.Normalization;
using Xinyong.Data.Database;
using Xinyong.Identifiers;

namespace Xinyong.Data.Ingestion;

/// <summary>A subject not yet in the database, created from the row that first names it.</summary>
internal sealed class NewSubject
{
    public long Id { get; set; }
    public required SubjectKind Kind { get; init; }
    public string? Uscc { get; init; }
    public required string Name { get; init; }

    /// <summary>The name's search key, worked out once: the subject's row, its name row and the cache all store it.</summary>
    public string NameKey => _nameKey ??= ChineseText.NameKey(Name);

    private string? _nameKey;

    public string? LegalRepresentative { get; init; }
    public string? DivisionCode { get; init; }
    public List<(string Scheme, string Value)> Identifiers { get; } = [];
}

/// <summary>What resolving one chunk decided about subjects, for the writing side to store.</summary>
internal sealed class ResolvedSubjects
{
    public List<NewSubject> NewSubjects { get; } = [];

    /// <summary>Existing subjects (known only by legacy codes) that this chunk gives their credit code.</summary>
    public List<(long SubjectId, string Uscc)> CodeConversions { get; } = [];

    /// <summary>Identifiers to be attached to existing subjects (legacy codes first seen with a known subject).</summary>
    public List<(string Scheme, string Value, long SubjectId)> NewIdentifiersForExisting { get; } = [];
}

/// <summary>Which subject a row belongs to: an existing one or one this batch creates.</summary>
internal readonly record struct SubjectRef(long ExistingId, NewSubject? Pending)
{
    public long Id => Pending?.Id ?? ExistingId;
}

/// <summary>A stored subject as the resolver's cache knows it under one of its identifiers.</summary>
internal readonly record struct KnownSubject(long SubjectId, string? Uscc, string NameKey);

/// <summary>
/// Ties rows to subjects by identifier. A row with a unified social credit code resolves by it (and creates the
/// subject when unknown); a row with only legacy codes resolves when all of them point to one subject and is
/// rejected as unknown or ambiguous otherwise: never attached by guesswork. Natural persons resolve by ID number.
/// </summary>
internal sealed class SubjectResolver(XinyongDatabase db, RecordType type)
{
    /// <summary>
    /// Identifiers known from the database or from earlier batches, in two generations: when the young one is full at
    /// the start of a batch it becomes the old one and the previous old one is dropped; a hit in the old generation
    /// moves the entry back to the young one. So memory stays bounded whatever the number of subjects, and identifiers
    /// seen recently stay cached. Nothing is dropped during a batch: <see cref="PrefetchAsync"/> has loaded what the
    /// batch needs. An entry holds references only: the key's value is the row's own string, and a subject's identifiers
    /// share its credit code and name key, so 200,000 identifiers cost about as much memory as 100,000 did with copies.
    /// </summary>
    private Dictionary<(string Scheme, string Value), KnownSubject> _young = new(GenerationCapacity);
    private Dictionary<(string Scheme, string Value), KnownSubject> _old = [];
    private const int GenerationSize = 100_000;
    private const int GenerationCapacity = GenerationSize + 8_192;
    private readonly int _name = type.IndexOf(type.Subject.Name);
    private readonly int _uscc = type.IndexOf(type.Subject.CreditCode);
    private readonly int _idNumber = type.IndexOf(type.Subject.IdNumber);
    private readonly int _legalRep = type.IndexOf(type.Subject.LegalRepresentative);

    private ResolvedSubjects _current = new();

    /// <summary>Identifiers to be attached to existing subjects (legacy codes first seen with a known subject).</summary>
    private List<(string Scheme, string Value, long SubjectId)> NewIdentifiersForExisting => _current.NewIdentifiersForExisting;

    /// <summary>Existing subjects (known only by legacy codes) that this batch gives their credit code.</summary>
    private List<(long SubjectId, string Uscc)> CodeConversions => _current.CodeConversions;

    private List<NewSubject> NewSubjects => _current.NewSubjects;

    /// <summary>
    /// Starts a chunk: what it decides about subjects goes into new lists, which the caller hands to the writing side (on
    /// PostgreSQL another thread, while this resolver goes on with the next chunk).
    /// </summary>
    public ResolvedSubjects StartBatch()
    {
        _current = new ResolvedSubjects();
        _pending.Clear();
        if (_young.Count >= GenerationSize)
        {
            _old = _young;
            _young = new(GenerationCapacity);
        }
        return _current;
    }

    private readonly Dictionary<(string Scheme, string Value), NewSubject> _pending = [];

    /// <summary>
    /// PostgreSQL: one index probe per value, whatever the statistics say. With <c>value = ANY(@values)</c> the planner
    /// prices thousands of index probes above a full scan of subject_identifiers and a hash join with subjects (even
    /// on fresh statistics), so every chunk read both tables in full and a large file became quadratic: 95 million
    /// rows scanned for 1M rows ingested. The <c>OFFSET 0</c> keeps the lateral subquery from being flattened back
    /// into that join.
    /// Sequential scans are off for this statement (SET LOCAL around it; the batch's transaction ends the setting anyway):
    /// it is a set of point probes, for which a full scan is never the right plan. A large file grows the subject tables
    /// from nothing while it loads, and PostgreSQL keeps a generic plan after five executions until the next ANALYZE;
    /// one made while the tables were small joined subjects by a full scan per value, and a 1M-row run spent 76 s
    /// instead of 10 s in look-ups (PostgresLookupPlanTests). Planning every execution anew (plan_cache_mode =
    /// force_custom_plan) also avoids it but cost 2-3 s per 1M rows; for the whole transaction it also re-planned the
    /// foreign-key check of every copied row (250k rows: 24 s against 16 s).
    /// </summary>
    private const string PostgresLookup =
        """
        SET LOCAL enable_seqscan = off;
        SELECT x.scheme, x.value, x.subject_id, x.uscc, x.name_key FROM unnest(@values) AS v(value)
        CROSS JOIN LATERAL (
          SELECT i.scheme, i.value, i.subject_id, s.uscc, s.name_key FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id
          WHERE i.value = v.value OFFSET 0) x;
        SET LOCAL enable_seqscan = DEFAULT;
        """;

    /// <summary>
    /// Loads from the database every identifier the valid rows of the batch mention that the cache does not hold.
    /// PostgreSQL: <paramref name="first"/>, a statement returning one row (the subject lock), runs before the look-up in
    /// the same round trip, and alone when there is nothing to look up. Each statement of the batch takes its own
    /// snapshot, so the look-up sees every subject committed before the lock was granted.
    /// </summary>
    public async Task PrefetchAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<PreparedRow> rows, string? first = null)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!row.Row.IsValid) continue;
            AddUncachedClaims(row, values);
        }
        if (values.Count == 0)
        {
            if (first is not null) await conn.ExecuteAsync(first, transaction: tx);
            return;
        }
        // Strings a subject's identifiers share in the cache: its credit code is the very string of the key that names it,
        // and its name key one string however many identifiers point to it.
        var shared = new Dictionary<long, KnownSubject>();
        if (db.IsSqlite)
        {
            // One index probe per value through a statement prepared once per chunk, in index order (consecutive probes
            // read neighbouring pages), instead of `IN (SELECT value FROM json_each(@values))`, which took 14 of the 47
            // seconds of a 1M-row ingest (docs/benchmarks.md, "Ingest").
            using var lookup = new SqliteStatement((Microsoft.Data.Sqlite.SqliteConnection)conn, SqliteLookup);
            foreach (var value in values.Order(StringComparer.Ordinal))
            {
                lookup.Text(1, value);
                while (lookup.Read())
                {
                    var scheme = lookup.ColumnSymbol(0)!;
                    var id = lookup.ColumnInteger(1);
                    if (!shared.TryGetValue(id, out var known)) shared[id] = known = NewKnown(scheme, value, id, lookup.ColumnText(2, value), lookup.ColumnText(3)!);
                    _young[(scheme, value)] = known;
                }
            }
            return;
        }
        foreach (var chunk in values.Chunk(10_000))
        {
            IEnumerable<(string, string, long, string?, string)> found;
            if (first is null)
            {
                found = await conn.QueryAsync<(string, string, long, string?, string)>(PostgresLookup, new { values = chunk.ToArray() }, tx);
            }
            else
            {
                using var grid = await conn.QueryMultipleAsync(first + ";\n" + PostgresLookup, new { values = chunk.ToArray() }, tx);
                await grid.ReadSingleAsync<int>();
                found = await grid.ReadAsync<(string, string, long, string?, string)>();
                first = null;
            }
            foreach (var (scheme, value, id, uscc, nameKey) in found)
            {
                var canonical = Scheme(scheme);
                if (!shared.TryGetValue(id, out var known)) shared[id] = known = NewKnown(canonical, value, id, uscc, nameKey);
                _young[(canonical, value)] = known;
            }
        }
    }

    private static KnownSubject NewKnown(string scheme, string value, long id, string? uscc, string nameKey) =>
        new(id, scheme == "uscc" && uscc == value ? value : uscc, nameKey);

    /// <summary>
    /// PostgreSQL: the scheme name as the one string the code's literals already are ("uscc", "org" …), so a cached key
    /// holds a reference, not a copy read from the database; an unknown name stays as read. (SQLite reads it so with
    /// <see cref="SqliteStatement.ColumnSymbol"/>.)
    /// </summary>
    private static string Scheme(string scheme) => string.IsInterned(scheme) ?? scheme;

    private const string SqliteLookup =
        "SELECT i.scheme, i.subject_id, s.uscc, s.name_key FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.value = ?1";

    /// <summary>Resolves one valid row, adding errors to it when it cannot be tied to exactly one subject.</summary>
    public SubjectRef? Resolve(PreparedRow prepared)
    {
        var row = prepared.Row;
        var v = row.Values;
        var name = v[_name]!;
        if (row.SubjectKind == SubjectKind.NaturalPerson)
        {
            var id = v[_idNumber];
            if (id is null)
            {
                row.Errors.Add(Messages.Required(type.Fields[_idNumber]));
                return null;
            }
            if (prepared.CachedSubject is { } cached) return new SubjectRef(cached.SubjectId, null);
            return Find("idcard", id) ?? Create("idcard", id, new NewSubject
            {
                Kind = SubjectKind.NaturalPerson, Name = name,
                DivisionCode = id.Length >= 6 ? id[..6] : null,
            });
        }

        var legacy = prepared.LegacyCodes;
        var uscc = v[_uscc];
        if (uscc is not null)
        {
            if (prepared.CachedSubject is { } cached) return Attach(cached, legacy, prepared.CachedLegacyCodes);
            if (TryKnown("uscc", uscc, out var known)) return Attach(known, legacy, prepared.CachedLegacyCodes);
            // Unknown credit code: legacy codes may name a subject registered before the code conversion.
            // Loops, not lambdas: a lambda capturing uscc would cost every row an allocation, known code or not.
            var viaLegacy = new List<KnownSubject>(legacy.Count);
            KnownSubject conflicting = default;
            for (var i = 0; i < legacy.Count; i++)
            {
                if (!TryKnown(legacy[i].Scheme, legacy[i].Value, out var k)) continue;
                var seen = false;
                foreach (var x in viaLegacy) seen |= x.SubjectId == k.SubjectId;
                if (seen) continue;
                viaLegacy.Add(k);
                if (conflicting.SubjectId == 0 && k.Uscc is not null && k.Uscc != uscc) conflicting = k;
            }
            if (conflicting.SubjectId != 0)
            {
                row.Errors.Add(new RowIssue(type.Subject.CreditCode, uscc, "code_conflict",
                    $"本行的旧代码属于统一社会信用代码为 {conflicting.Uscc} 的主体，与本行统一社会信用代码 {uscc} 不一致，请核实",
                    $"The legacy codes in this row belong to the subject with credit code {conflicting.Uscc}, not {uscc}; please check"));
                return null;
            }
            if (viaLegacy.Count > 1)
            {
                row.Errors.Add(Ambiguous(legacy));
                return null;
            }
            if (viaLegacy.Count == 1)
            {
                var k = viaLegacy[0];
                CodeConversions.Add((k.SubjectId, uscc));
                Remember("uscc", uscc, new KnownSubject(k.SubjectId, uscc, k.NameKey));
                NewIdentifiersForExisting.Add(("uscc", uscc, k.SubjectId));
                return Attach(new KnownSubject(k.SubjectId, uscc, k.NameKey), legacy, prepared.CachedLegacyCodes);
            }
            if (_pending.TryGetValue(("uscc", uscc), out var named)) return AddPendingIdentifiers(named, legacy);
            var cc = CreditCode.Parse(uscc);
            var created = Create("uscc", uscc, new NewSubject
            {
                Kind = row.SubjectKind, Uscc = uscc, Name = name, LegalRepresentative = v[_legalRep], DivisionCode = cc.DivisionCode,
            });
            AddPendingIdentifier(created.Pending!, "org", cc.OrganizationCode.Value);
            return AddPendingIdentifiers(created.Pending!, legacy);
        }

        // Legacy codes only: every code must point to the same single subject.
        var subjects = new Dictionary<long, KnownSubject>();
        NewSubject? pendingMatch = null;
        foreach (var c in legacy)
        {
            if (_pending.TryGetValue(c, out var p)) pendingMatch = p;
            else if (TryKnown(c.Scheme, c.Value, out var k)) subjects[k.SubjectId] = k;
        }
        if (subjects.Count + (pendingMatch is null ? 0 : 1) > 1)
        {
            row.Errors.Add(Ambiguous(legacy));
            return null;
        }
        if (pendingMatch is not null) return new SubjectRef(0, pendingMatch);
        if (subjects.Count == 0)
        {
            row.Errors.Add(new RowIssue(legacy.Count > 0 ? LegacyField(legacy[0].Scheme) : type.Subject.CreditCode, legacy.FirstOrDefault().Value, "unknown_subject",
                $"平台中没有以 {Describe(legacy)} 登记的主体，无法确定相对人；请补充统一社会信用代码（{type.Subject.CreditCode}）",
                $"No subject is registered under {Describe(legacy)}; add the unified social credit code ({type.Subject.CreditCode}) so the party can be identified"));
            return null;
        }
        var only = subjects.Values.First();
        if (only.NameKey != ChineseText.NameKey(name))
        {
            row.Warnings.Add(new RowIssue(type.Subject.Name, name, "name_differs",
                $"相对人名称“{name}”与平台登记名称不一致，已按代码关联到同一主体",
                $"Party name '{name}' differs from the registered name; the row was tied to the subject by its code"));
        }
        return Attach(only, legacy, prepared.CachedLegacyCodes);
    }

    /// <summary>
    /// Ties the row to a stored subject and gives that subject the row's legacy codes it is not yet known by. Codes the
    /// cache held when the chunk's claims were gathered (bits of <paramref name="cachedCodes"/>) are known still: nothing
    /// leaves the cache during a chunk.
    /// </summary>
    private SubjectRef Attach(KnownSubject known, IReadOnlyList<(string Scheme, string Value)> legacy, int cachedCodes)
    {
        for (var i = 0; i < legacy.Count; i++)
        {
            if ((cachedCodes & (1 << i)) != 0) continue;
            var c = legacy[i];
            if (IsCached(c) || _pending.ContainsKey(c)) continue;
            NewIdentifiersForExisting.Add((c.Scheme, c.Value, known.SubjectId));
            Remember(c.Scheme, c.Value, known);
        }
        return new SubjectRef(known.SubjectId, null);
    }

    /// <summary>The subject an identifier names: a stored one, or one this chunk creates.</summary>
    private SubjectRef? Find(string scheme, string value)
    {
        if (TryKnown(scheme, value, out var known)) return new SubjectRef(known.SubjectId, null);
        if (_pending.TryGetValue((scheme, value), out var p)) return new SubjectRef(0, p);
        return null;
    }

    /// <summary>A new subject, named by the identifier, to be stored with this chunk.</summary>
    private SubjectRef Create(string scheme, string value, NewSubject subject)
    {
        NewSubjects.Add(subject);
        AddPendingIdentifier(subject, scheme, value);
        return new SubjectRef(0, subject);
    }

    private SubjectRef AddPendingIdentifiers(NewSubject s, IReadOnlyList<(string Scheme, string Value)> legacy)
    {
        for (var i = 0; i < legacy.Count; i++) AddPendingIdentifier(s, legacy[i].Scheme, legacy[i].Value);
        return new SubjectRef(0, s);
    }

    private void AddPendingIdentifier(NewSubject s, string scheme, string value)
    {
        var key = (scheme, value);
        if (_pending.ContainsKey(key) || IsCached(key)) return;
        _pending[key] = s;
        s.Identifiers.Add((scheme, value));
    }

    /// <summary>
    /// Once the chunk's new subjects have their ids, they join the cache under their identifiers. On PostgreSQL that is
    /// before the writer has stored them: a later chunk resolved meanwhile must find them here, since a look-up of the
    /// database does not see them until the writer commits. The two generations hold 100,000 identifiers each, and at most
    /// three chunks of 2,000 rows are between this resolver and the writer's commit, so none of them leaves the cache
    /// before it is stored. Should the batch fail, the run stops and the resolver with its cache is dropped.
    /// </summary>
    public void CommitBatch()
    {
        foreach (var s in NewSubjects)
        {
            var known = new KnownSubject(s.Id, s.Uscc, s.NameKey);
            foreach (var (scheme, value) in s.Identifiers) Remember(scheme, value, known);
        }
    }

    private bool TryKnown(string scheme, string value, out KnownSubject known)
    {
        var key = (scheme, value);
        if (_young.TryGetValue(key, out known)) return true;
        if (!_old.Remove(key, out known)) return false;
        _young[key] = known;
        return true;
    }

    private bool IsCached((string, string) key) => _young.ContainsKey(key) || _old.ContainsKey(key);

    private void Remember(string scheme, string value, KnownSubject known)
    {
        var key = (scheme, value);
        _old.Remove(key);
        _young[key] = known;
    }

    /// <summary>
    /// Adds to <paramref name="values"/> every identifier the row names that the cache does not hold: its ID number, or
    /// its credit code and legacy codes. What the cache does hold is noted on the row (its subject, and which legacy codes
    /// are known), so that <see cref="Resolve"/> does not look the same keys up again: nothing leaves the cache during a
    /// chunk, and an entry found here is the one resolving would find.
    /// </summary>
    private void AddUncachedClaims(PreparedRow prepared, HashSet<string> values)
    {
        var row = prepared.Row;
        var v = row.Values;
        prepared.CachedSubject = null;
        prepared.CachedLegacyCodes = 0;
        if (row.SubjectKind == SubjectKind.NaturalPerson)
        {
            if (v[_idNumber] is not { } id) return;
            if (TryKnown("idcard", id, out var person)) prepared.CachedSubject = person;
            else values.Add(id);
            return;
        }
        if (v[_uscc] is { } uscc)
        {
            if (TryKnown("uscc", uscc, out var known)) prepared.CachedSubject = known;
            else values.Add(uscc);
        }
        var legacy = prepared.LegacyCodes;
        for (var i = 0; i < legacy.Count; i++)
        {
            if (i < 31 && IsCached(legacy[i])) prepared.CachedLegacyCodes |= 1 << i;
            else values.Add(legacy[i].Value);
        }
    }

    private RowIssue Ambiguous(IReadOnlyList<(string Scheme, string Value)> legacy) => new(
        legacy.Count > 0 ? LegacyField(legacy[0].Scheme) : type.Subject.CreditCode, string.Join(",", legacy.Select(l => l.Value)), "ambiguous_subject",
        $"{Describe(legacy)} 分别对应平台中的不同主体，无法确定相对人；请补充统一社会信用代码（{type.Subject.CreditCode}）",
        $"{Describe(legacy)} point to different subjects; add the unified social credit code ({type.Subject.CreditCode}) so the party can be identified");

    private string LegacyField(string scheme) => type.Subject.LegacyCodes.FirstOrDefault(kv => kv.Value == scheme).Key ?? type.Subject.CreditCode;

    private static string Describe(IReadOnlyList<(string Scheme, string Value)> legacy) =>
        legacy.Count == 0 ? "（无代码）" : string.Join("、", legacy.Select(l => $"{SchemeName(l.Scheme)} {l.Value}"));

    private static string SchemeName(string scheme) => scheme switch
    {
        "org" => "组织机构代码",
        "reg" => "工商注册号",
        "tax" => "税务登记号",
        "inst" => "事业单位证书号",
        "soc" => "社会组织登记证号",
        _ => scheme,
    };
}

/// <summary>The legacy codes a row names, worked out on the reading thread (they depend on the row alone).</summary>
internal sealed class LegacyCodeReader(RecordType type)
{
    private readonly (int Index, string Scheme)[] _legacy = type.Subject.LegacyCodes.Select(kv => (type.IndexOf(kv.Key), kv.Value)).ToArray();

    /// <summary>
    /// Legacy codes in the row. A tax registration number is often the 6-digit division plus the organisation code
    /// (or, since 2015, the credit code itself), so it also yields the organisation code it contains.
    /// </summary>
    public IReadOnlyList<(string Scheme, string Value)> Read(string?[] v)
    {
        List<(string, string)>? codes = null;
        foreach (var (index, scheme) in _legacy)
        {
            var value = v[index];
            if (value is null) continue;
            codes ??= new List<(string, string)>(2);
            if (scheme == "tax")
            {
                var t = Identifier.Normalize(value);
                if (t.Length == 15 && OrganizationCode.TryParse(t[6..], out var org)) codes.Add(("org", org.Value));
                else if (t.Length == 18 && CreditCode.TryParse(t, out var cc)) codes.Add(("org", cc.OrganizationCode.Value));
                else codes.Add(("tax", t));
                continue;
            }
            codes.Add((scheme, value));
        }
        return codes ?? (IReadOnlyList<(string, string)>)[];
    }
}
