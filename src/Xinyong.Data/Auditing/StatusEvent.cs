namespace Xinyong.Data.Auditing;

/// <summary>
/// One step in the history of something that moves through statuses (a list entry, a commitment): from which status to
/// which, on which date, why, who took it and when it was written.
/// </summary>
public sealed record StatusEvent
{
    public long Id { get; init; }
    public string FromStatus { get; init; } = default!;
    public string ToStatus { get; init; } = default!;
    public DateOnly OnDate { get; init; }
    public string? Note { get; init; }
    public string Actor { get; init; } = default!;
    public DateTime At { get; init; }
}
