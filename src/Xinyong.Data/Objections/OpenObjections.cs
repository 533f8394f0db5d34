using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.Data.Objections;

/// <summary>An item currently under objection, for showing 异议中 next to it.</summary>
public sealed record OpenObjection
{
    public long ObjectionId { get; init; }
    public string Reference { get; init; } = "";
    public string TargetKind { get; init; } = "";
    public long TargetId { get; init; }
    public DateOnly FiledOn { get; init; }
}

/// <summary>
/// Which items are currently under objection (flagged 异议中). THE rule: an objection is open until decided
/// (status &lt;&gt; 'decided'); every surface (public page, API, checks, measures) asks here so they all agree.
/// </summary>
public sealed class OpenObjections(XinyongDatabase db)
{
    /// <summary>The open predicate over alias <c>o</c> (objections).</summary>
    public const string OpenPredicate = "o.status <> 'decided'";

    /// <summary>Ids among <paramref name="recordIds"/> with an open objection against the record.</summary>
    public Task<IReadOnlySet<long>> ForRecordsAsync(IReadOnlyCollection<long> recordIds, CancellationToken ct = default) =>
        ForAsync("record", recordIds, ct);

    /// <summary>Ids among <paramref name="listEntryIds"/> with an open objection against the list entry.</summary>
    public Task<IReadOnlySet<long>> ForListEntriesAsync(IReadOnlyCollection<long> listEntryIds, CancellationToken ct = default) =>
        ForAsync("list_entry", listEntryIds, ct);

    /// <summary>Ids among <paramref name="checkResultIds"/> with an open objection against the credit check result.</summary>
    public Task<IReadOnlySet<long>> ForCheckResultsAsync(IReadOnlyCollection<long> checkResultIds, CancellationToken ct = default) =>
        ForAsync("check_result", checkResultIds, ct);

    /// <summary>Every open objection about a subject's items (for its page).</summary>
    public async Task<IReadOnlyList<OpenObjection>> ForSubjectAsync(long subjectId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<OpenObjection>(
            $"SELECT o.id AS objection_id, o.reference, o.target_kind, o.target_id, o.filed_on FROM objections o WHERE o.subject_id = @subjectId AND {OpenPredicate} ORDER BY o.id",
            new { subjectId })).ToList();
    }

    private async Task<IReadOnlySet<long>> ForAsync(string kind, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return new HashSet<long>();
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<long>(
            $"SELECT DISTINCT o.target_id FROM objections o WHERE o.target_kind = @kind AND o.target_id {db.InList("ids")} AND {OpenPredicate}",
            new { kind, ids = db.ListParam(ids) });
        return rows.ToHashSet();
    }
}
