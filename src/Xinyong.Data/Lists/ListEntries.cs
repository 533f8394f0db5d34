using System.Data.Common;
using Dapper;
using Xinyong.Data.Database;
using Xinyong.Data.Publication;
using Xinyong.Identifiers;

namespace Xinyong.Data.Lists;

/// <summary>A list entry in force, as other features (credit checks, measures, the public site) see it.</summary>
public sealed record ActiveListEntry
{
    public long Id { get; init; }
    public string ListType { get; init; } = default!;
    public string Kind { get; init; } = default!;
    public long SubjectId { get; init; }
    public long DepartmentId { get; init; }
    public string LegalBasis { get; init; } = default!;
    public string Grounds { get; init; } = default!;
    public string? DecisionNumber { get; init; }
    public DateOnly ListedFrom { get; init; }
    public DateOnly? ListedUntil { get; init; }
    public long? SourceRecordId { get; init; }
}

/// <summary>A published listing on the public website: who, which list, on what basis, for how long (names masked).</summary>
public sealed record PublicListEntry
{
    public long Id { get; init; }
    public string ListType { get; init; } = default!;
    public string Kind { get; init; } = default!;
    public long SubjectId { get; init; }
    public string SubjectKind { get; init; } = default!;
    public string SubjectName { get; init; } = default!;
    public string? Uscc { get; init; }
    public string DepartmentName { get; init; } = default!;
    public string LegalBasis { get; init; } = default!;
    public string Grounds { get; init; } = default!;
    public string? DecisionNumber { get; init; }
    public DateOnly ListedFrom { get; init; }
    public DateOnly? ListedUntil { get; init; }
}

/// <summary>
/// Reading list entries. THE rule for "in force": an entry is active on day d iff
/// status = 'published' AND listed_from &lt;= d AND (listed_until IS NULL OR listed_until &gt; d).
/// Suspended, ended, removed and unpublished entries are never active; an entry whose period has run out stops being
/// active on its listed_until day without any job running. Every feature asks through <see cref="ActivePredicate"/>
/// or <see cref="ActiveEntriesAsync"/> so they all agree (ListEntry.IsActiveOn is the same rule in memory).
/// </summary>
public sealed class ListEntries(XinyongDatabase db)
{
    /// <summary>The active predicate over alias <c>e</c> (list_entries) and parameter <c>@on</c> (a DateOnly).</summary>
    public const string ActivePredicate = "e.status = 'published' AND e.listed_from <= @on AND (e.listed_until IS NULL OR e.listed_until > @on)";

    /// <summary>The active predicate for another alias and parameter name.</summary>
    public static string Active(string alias, string onParameter) =>
        $"{alias}.status = 'published' AND {alias}.listed_from <= @{onParameter} AND ({alias}.listed_until IS NULL OR {alias}.listed_until > @{onParameter})";

    private const string ActiveColumns =
        "e.id, e.list_type, e.kind, e.subject_id, e.department_id, e.legal_basis, e.grounds, e.decision_number, e.listed_from, e.listed_until, e.source_record_id";

    /// <summary>Entries in force on <paramref name="on"/> for the given subjects (any number; one query).</summary>
    public async Task<IReadOnlyList<ActiveListEntry>> ActiveEntriesAsync(IReadOnlyCollection<long> subjectIds, DateOnly on, CancellationToken ct = default)
    {
        if (subjectIds.Count == 0) return [];
        await using var conn = await db.OpenAsync(ct);
        return await ActiveEntriesAsync(conn, null, subjectIds, on);
    }

    internal async Task<IReadOnlyList<ActiveListEntry>> ActiveEntriesAsync(DbConnection conn, DbTransaction? tx, IReadOnlyCollection<long> subjectIds, DateOnly on) =>
        (await conn.QueryAsync<ActiveListEntry>(
            $"SELECT {ActiveColumns} FROM list_entries e WHERE e.subject_id {db.InList("ids")} AND {ActivePredicate} ORDER BY e.subject_id, e.listed_from DESC, e.id DESC",
            new { ids = db.ListParam(subjectIds), on }, tx)).ToList();

    /// <summary>
    /// The entries in force on <c>@on</c> for the one subject <c>@subjectId</c>, in the order of
    /// <see cref="ActiveEntriesAsync(IReadOnlyCollection{long}, DateOnly, CancellationToken)"/>, for a caller that reads
    /// it in a batch with other statements (the public subject page).
    /// </summary>
    internal const string ActiveForSubjectSql =
        $"SELECT {ActiveColumns} FROM list_entries e WHERE e.subject_id = @subjectId AND {ActivePredicate} ORDER BY e.listed_from DESC, e.id DESC";

    private const string PublicColumns =
        """
        e.id, e.list_type, e.kind, e.subject_id, s.kind AS subject_kind, s.name AS subject_name, s.uscc, d.name AS department_name,
        e.legal_basis, e.grounds, e.decision_number, e.listed_from, e.listed_until
        """;

    /// <summary>
    /// One page (from 1) of the public red or black column on <paramref name="on"/>, newest first; natural persons masked.
    /// <paramref name="query"/> narrows to subjects whose name contains it or whose credit code is it.
    /// </summary>
    public async Task<(IReadOnlyList<PublicListEntry> Items, int Total)> PublicPageAsync(string kind, DateOnly on, int page, int pageSize,
        string? listType = null, CancellationToken ct = default, string? query = null)
    {
        var (items, total) = await PageAsync(kind, listType, on, page, pageSize, query, ct);
        return (items.Select(MaskForPublic).ToList(), total);
    }

    /// <summary>
    /// One page of the entries of one type in force on <paramref name="on"/>, unmasked: for signed-in staff and
    /// department systems, which need to know exactly whom a listing concerns.
    /// </summary>
    public Task<(IReadOnlyList<PublicListEntry> Items, int Total)> ActiveByTypeAsync(string listType, DateOnly on, int page, int pageSize,
        CancellationToken ct = default) => PageAsync(null, listType, on, page, pageSize, null, ct);

    private async Task<(IReadOnlyList<PublicListEntry> Items, int Total)> PageAsync(string? kind, string? listType, DateOnly on, int page, int pageSize,
        string? query, CancellationToken ct)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        query = string.IsNullOrWhiteSpace(query) ? null : query.Trim();
        var like = query is null ? null : "%" + query.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%";
        var code = query?.ToUpperInvariant();
        await using var conn = await db.OpenAsync(ct);
        var where = $"(@kind IS NULL OR e.kind = @kind) AND (@listType IS NULL OR e.list_type = @listType) AND {ActivePredicate}" +
                    (query is null ? "" : " AND (s.name LIKE @like OR s.uscc = @code)");
        var args = new { kind, on, listType, like, code, take = pageSize, skip = (page - 1) * pageSize };
        var total = await conn.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM list_entries e JOIN subjects s ON s.id = e.subject_id WHERE {where}", args);
        var rows = await conn.QueryAsync<PublicListEntry>(
            $"""
            SELECT {PublicColumns}
            FROM list_entries e JOIN subjects s ON s.id = e.subject_id JOIN departments d ON d.id = e.department_id
            WHERE {where} ORDER BY e.listed_from DESC, e.id DESC LIMIT @take OFFSET @skip
            """, args);
        return (rows.ToList(), total);
    }

    /// <summary>A subject's listings in force on <paramref name="on"/> for its public page (natural persons masked).</summary>
    public async Task<IReadOnlyList<PublicListEntry>> PublicForSubjectAsync(long subjectId, DateOnly on, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<PublicListEntry>(
            $"""
            SELECT e.id, e.list_type, e.kind, e.subject_id, s.kind AS subject_kind, s.name AS subject_name, s.uscc, d.name AS department_name,
                   e.legal_basis, e.grounds, e.decision_number, e.listed_from, e.listed_until
            FROM list_entries e JOIN subjects s ON s.id = e.subject_id JOIN departments d ON d.id = e.department_id
            WHERE e.subject_id = @subjectId AND {ActivePredicate} ORDER BY e.kind, e.listed_from DESC, e.id DESC
            """, new { subjectId, on });
        return rows.Select(MaskForPublic).ToList();
    }

    /// <summary>Natural persons: the name masked, no identifier, ID numbers and the name scrubbed from the grounds.</summary>
    public static PublicListEntry MaskForPublic(PublicListEntry e)
    {
        if (e.SubjectKind != "natural_person") return e;
        return e with
        {
            SubjectName = Masking.MaskPersonName(e.SubjectName),
            Uscc = null,
            Grounds = PublicRecords.Scrub(e.Grounds, e.SubjectName),
            DecisionNumber = e.DecisionNumber is null ? null : PublicRecords.Scrub(e.DecisionNumber, e.SubjectName),
        };
    }

    /// <summary>Counts of entries in force by kind (for the home page and the list pages).</summary>
    public async Task<IReadOnlyDictionary<string, int>> ActiveCountsAsync(DateOnly on, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<(string Kind, long Count)>($"SELECT e.kind, COUNT(*) FROM list_entries e WHERE {ActivePredicate} GROUP BY e.kind", new { on });
        return rows.ToDictionary(r => r.Kind, r => (int)r.Count, StringComparer.Ordinal);
    }
}
