using Dapper;
using Xinyong.Core.Commitments;
using Xinyong.Data.Database;
using Xinyong.Data.Publication;

namespace Xinyong.Data.Commitments;

/// <summary>
/// A commitment as the public sees it: kind, content, matter, to whom, when, and whether it was kept. The contact of an
/// online commitment is never included; a suspicion under review shows as "in force"; natural persons' text is scrubbed.
/// </summary>
public sealed record PublicCommitment
{
    public long Id { get; init; }
    public string Kind { get; init; } = default!;
    public string Status { get; init; } = default!;
    public string Content { get; init; } = default!;
    public string? Matter { get; init; }
    public string LegalBasis { get; init; } = default!;
    public string DepartmentName { get; init; } = default!;
    public string Channel { get; init; } = default!;
    public DateOnly MadeOn { get; init; }
    public DateOnly? DueOn { get; init; }
    public DateOnly PublishedOn { get; init; }
    public DateOnly? FulfilledOn { get; init; }
    public DateOnly? ConfirmedOn { get; init; }
    public string? BreachDecisionNumber { get; init; }
    /// <summary>The breach record, when it is itself on public view (its publicity period may be over or repaired).</summary>
    public long? BreachRecordId { get; init; }
}

/// <summary>The public reads of commitments (the 信用承诺 category of a subject's page).</summary>
public sealed class PublicCommitments(XinyongDatabase db)
{
    /// <summary>A subject's commitments on public view on <paramref name="today"/>, newest first.</summary>
    public async Task<IReadOnlyList<PublicCommitment>> ForSubjectAsync(long subjectId, DateOnly today, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<Row>(ForSubjectSql, new { subjectId, today, registered = CommitmentStatus.Registered });
        return rows.Select(ToPublic).ToList();
    }

    /// <summary>
    /// The query of <see cref="ForSubjectAsync"/> over parameters <c>@subjectId</c>, <c>@today</c> and <c>@registered</c>
    /// (<see cref="CommitmentStatus.Registered"/>), for a caller that reads it in a batch with other statements.
    /// </summary>
    internal const string ForSubjectSql = $"""
        SELECT c.id, c.kind, c.status, c.content, c.matter, c.legal_basis, d.name AS department_name, c.channel, c.made_on, c.due_on, c.published_on,
               c.fulfilled_on, c.confirmed_on, c.breach_decision_number,
               CASE WHEN p.record_id IS NOT NULL AND {PublicRecords.Visible} THEN c.breach_record_id END AS breach_record_id,
               s.kind AS subject_kind, s.name AS subject_name
        FROM commitments c JOIN departments d ON d.id = c.department_id JOIN subjects s ON s.id = c.subject_id
        LEFT JOIN publications p ON p.record_id = c.breach_record_id
        WHERE c.subject_id = @subjectId AND c.status <> @registered AND c.published_on <= @today
        ORDER BY c.published_on DESC, c.id DESC LIMIT 200
        """;

    internal static PublicCommitment ToPublic(Row r) => new()
    {
        Id = r.Id,
        Kind = r.Kind,
        // A suspicion is the department's working state, not a finding: the public sees the commitment as in force.
        Status = r.Status is CommitmentStatus.BreachSuspected or CommitmentStatus.Cleared ? CommitmentStatus.Published : r.Status,
        Content = r.SubjectKind == "natural_person" ? PublicRecords.Scrub(r.Content, r.SubjectName) : r.Content,
        Matter = r.Matter,
        LegalBasis = r.LegalBasis,
        DepartmentName = r.DepartmentName,
        Channel = r.Channel,
        MadeOn = r.MadeOn,
        DueOn = r.DueOn,
        PublishedOn = r.PublishedOn,
        FulfilledOn = r.FulfilledOn,
        ConfirmedOn = r.Status == CommitmentStatus.BreachConfirmed ? r.ConfirmedOn : null,
        BreachDecisionNumber = r.Status == CommitmentStatus.BreachConfirmed ? r.BreachDecisionNumber : null,
        BreachRecordId = r.BreachRecordId,
    };

    internal sealed record Row
    {
        public long Id { get; init; }
        public string Kind { get; init; } = default!;
        public string Status { get; init; } = default!;
        public string Content { get; init; } = default!;
        public string? Matter { get; init; }
        public string LegalBasis { get; init; } = default!;
        public string DepartmentName { get; init; } = default!;
        public string Channel { get; init; } = default!;
        public DateOnly MadeOn { get; init; }
        public DateOnly? DueOn { get; init; }
        public DateOnly PublishedOn { get; init; }
        public DateOnly? FulfilledOn { get; init; }
        public DateOnly? ConfirmedOn { get; init; }
        public string? BreachDecisionNumber { get; init; }
        public long? BreachRecordId { get; init; }
        public string SubjectKind { get; init; } = default!;
        public string SubjectName { get; init; } = default!;
    }
}
