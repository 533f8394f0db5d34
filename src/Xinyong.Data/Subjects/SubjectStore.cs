using Dapper;
using Xinyong.Core.Normalization;
using Xinyong.Data.Database;
using Xinyong.Identifiers;

namespace Xinyong.Data.Subjects;

public sealed record SubjectSummary
{
    public long Id { get; init; }
    public string Kind { get; init; } = default!;
    public string? Uscc { get; init; }
    public string Name { get; init; } = default!;
    public string? LegalRepresentative { get; init; }
    public string? DivisionCode { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed record SubjectIdentifier
{
    public string Scheme { get; init; } = default!;
    public string Value { get; init; } = default!;
    public string Source { get; init; } = default!;
}

public sealed record SubjectName
{
    public string Name { get; init; } = default!;
    public bool IsCurrent { get; init; }
    public DateTime FirstSeen { get; init; }
}

public sealed record RecordSummary
{
    public long Id { get; init; }
    public string RecordType { get; init; } = default!;
    public long DepartmentId { get; init; }
    public int Version { get; init; }
    public string DecisionNumber { get; init; } = default!;
    public DateOnly DecisionDate { get; init; }
    public string AuthorityName { get; init; } = default!;
    public decimal? Amount { get; init; }
    public string SubjectName { get; init; } = default!;
    public long SubmissionId { get; init; }
    public long RowNumber { get; init; }
    public int LagWorkingDays { get; init; }
    public string Data { get; init; } = default!;
    public DateTime FirstReceivedAt { get; init; }
    public DateTime ReceivedAt { get; init; }
}

public sealed record RecordVersion
{
    public int Version { get; init; }
    public string ContentHash { get; init; } = default!;
    public long SubmissionId { get; init; }
    public long RowNumber { get; init; }
    public string Data { get; init; } = default!;
    public DateTime ReceivedAt { get; init; }
    public DateTime? SupersededAt { get; init; }
}

public sealed record SubjectDetail(SubjectSummary Subject, IReadOnlyList<SubjectIdentifier> Identifiers, IReadOnlyList<SubjectName> Names, IReadOnlyList<RecordSummary> Records);

public sealed record NameMatch(SubjectSummary Subject, string MatchedName, string Reason);

/// <summary>Reads subjects: by any of their codes (credit code, legacy codes, ID number), by name, with their records.</summary>
public sealed class SubjectStore(XinyongDatabase db)
{
    private const string SubjectColumns = "s.id, s.kind, s.uscc, s.name, s.legal_representative, s.division_code, s.created_at";

    /// <summary>Finds a subject by any code it is known by; the kind of code is detected.</summary>
    public async Task<SubjectSummary?> FindByCodeAsync(string code, CancellationToken ct = default)
    {
        var normalized = Identifier.Normalize(code);
        var schemes = Identifier.Detect(normalized) switch
        {
            IdentifierKind.CreditCode => ["uscc"],
            IdentifierKind.OrganizationCode => ["org"],
            IdentifierKind.RegistrationNumber => ["reg", "tax"],
            IdentifierKind.ResidentId => new[] { "idcard" },
            _ => ["tax", "inst", "soc", "reg"],
        };
        await using var conn = await db.OpenAsync(ct);
        return await conn.QueryFirstOrDefaultAsync<SubjectSummary>(
            $"SELECT {SubjectColumns} FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.value = @normalized AND i.scheme {db.InList("schemes")}",
            new { normalized, schemes = db.ListParam(schemes) });
    }

    public async Task<SubjectDetail?> GetAsync(long id, int recordLimit = 500, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var subject = await conn.QuerySingleOrDefaultAsync<SubjectSummary>($"SELECT {SubjectColumns} FROM subjects s WHERE s.id = @id", new { id });
        if (subject is null) return null;
        var identifiers = (await conn.QueryAsync<SubjectIdentifier>("SELECT scheme, value, source FROM subject_identifiers WHERE subject_id = @id ORDER BY scheme", new { id })).ToList();
        var names = (await conn.QueryAsync<SubjectName>("SELECT name, is_current, first_seen FROM subject_names WHERE subject_id = @id ORDER BY first_seen", new { id })).ToList();
        var records = (await conn.QueryAsync<RecordSummary>(
            "SELECT id, record_type, department_id, version, decision_number, decision_date, authority_name, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at FROM records WHERE subject_id = @id ORDER BY decision_date DESC, id DESC LIMIT @recordLimit",
            new { id, recordLimit })).ToList();
        return new SubjectDetail(subject, identifiers, names, records);
    }

    /// <summary>Every version of a record, oldest first: history rows then the current row.</summary>
    public async Task<IReadOnlyList<RecordVersion>> HistoryAsync(long recordId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var history = (await conn.QueryAsync<RecordVersion>(
            "SELECT version, content_hash, submission_id, row_number, data, received_at, superseded_at FROM record_history WHERE record_id = @recordId ORDER BY version",
            new { recordId })).ToList();
        var current = await conn.QuerySingleOrDefaultAsync<RecordVersion>(
            "SELECT version, content_hash, submission_id, row_number, data, received_at, NULL AS superseded_at FROM records WHERE id = @recordId", new { recordId });
        if (current is not null) history.Add(current);
        return history;
    }

    /// <summary>
    /// Name search on the normalised name (widths, brackets, spaces, case): exact, then prefix, then contains,
    /// over current and former names. Fuzzy ranking belongs to the public search.
    /// </summary>
    public async Task<(IReadOnlyList<NameMatch> Items, int Total)> SearchByNameAsync(string query, int page = 1, int pageSize = 20, CancellationToken ct = default)
    {
        var key = ChineseText.NameKey(query);
        if (key.Length == 0) return ([], 0);
        var like = "%" + key.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%";
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<(long Id, string Name, string NameKey, bool IsCurrent)>(
            "SELECT n.subject_id, n.name, n.name_key, n.is_current FROM subject_names n WHERE n.name_key LIKE @like ORDER BY LENGTH(n.name_key), n.subject_id LIMIT 1000",
            new { like })).ToList();
        var best = rows
            .Select(r => (r.Id, r.Name, Rank: r.NameKey == key ? 0 : r.NameKey.StartsWith(key, StringComparison.Ordinal) ? 1 : 2, r.IsCurrent))
            .GroupBy(r => r.Id).Select(g => g.OrderBy(r => r.Rank).ThenByDescending(r => r.IsCurrent).First())
            .OrderBy(r => r.Rank).ThenBy(r => r.Name.Length).ToList();
        var pageItems = best.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        if (pageItems.Count == 0) return ([], best.Count);
        var ids = pageItems.Select(p => p.Id).ToList();
        var subjects = (await conn.QueryAsync<SubjectSummary>($"SELECT {SubjectColumns} FROM subjects s WHERE s.id {db.InList("ids")}", new { ids = db.ListParam(ids) }))
            .ToDictionary(s => s.Id);
        var items = pageItems.Select(p => new NameMatch(subjects[p.Id], p.Name,
            (p.Rank, p.IsCurrent) switch
            {
                (0, true) => "exact",
                (0, false) => "former_name",
                (1, _) => "prefix",
                _ => "contains",
            })).ToList();
        return (items, best.Count);
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subjects");
    }
}
