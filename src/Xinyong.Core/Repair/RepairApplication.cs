using System.Globalization;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Publication;

namespace Xinyong.Core.Repair;

public enum RepairStatus
{
    Submitted,
    Accepted,
    Approved,
    Rejected,
}

/// <summary>What the publication engine and earlier cases say about a record when repair is asked for.</summary>
/// <param name="RepairFrom">The engine's earliest repair date (end of the minimum publicity period); null when the record is not repairable (licences).</param>
/// <param name="EndedReason">Set when publication already ended early (repaired, withdrawn).</param>
/// <param name="ReapplyFrom">After an earlier rejection, the first day a new application is possible.</param>
/// <param name="HasOpenApplication">An application for the record is already being handled.</param>
public sealed record RepairEligibility(
    DateOnly DecisionDate,
    PenaltyGrade? Grade,
    DateOnly? RepairFrom,
    string? EndedReason,
    DateOnly? ReapplyFrom,
    bool HasOpenApplication);

/// <summary>What the subject submits: proof that obligations are performed and a public credit commitment.</summary>
public sealed record RepairRequest(
    long SubjectId,
    long RecordId,
    long DepartmentId,
    string Channel,
    string ContactName,
    string ContactPhone,
    bool ObligationsPerformed,
    string ObligationsNote,
    bool CommitmentMade,
    string SubmittedBy);

public sealed record RepairSnapshot
{
    public long Id { get; init; }
    public long SubjectId { get; init; }
    public long RecordId { get; init; }
    public long DepartmentId { get; init; }
    public string Channel { get; init; } = "";
    public string ContactName { get; init; } = "";
    public string ContactPhone { get; init; } = "";
    public bool ObligationsPerformed { get; init; }
    public string ObligationsNote { get; init; } = "";
    public bool CommitmentMade { get; init; }
    public string SubmittedBy { get; init; } = "";
    public string RuleSetId { get; init; } = "";
    public DateOnly EarliestRepairDate { get; init; }
    public DateOnly SubmittedOn { get; init; }
    public DateTime SubmittedAt { get; init; }
    public DateOnly AcceptBy { get; init; }
    public DateOnly DecideBy { get; init; }
    public RepairStatus Status { get; init; }
    public DateTime? AcceptedAt { get; init; }
    public string? AcceptedBy { get; init; }
    public DateTime? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? Reasons { get; init; }
    public DateOnly? ReapplyFrom { get; init; }
    public DateOnly? EscalatedOn { get; init; }
}

/// <summary>
/// A credit repair application (信用修复申请): submitted once the minimum publicity period has passed (immediately for
/// the 轻微 grade under the 2026 measures), accepted, then approved or rejected with reasons and the date a new
/// application is possible. Only the department that made the finding, or the credit office, may handle it.
/// </summary>
public sealed class RepairApplication
{
    private RepairApplication()
    {
    }

    public long Id { get; private set; }
    public long SubjectId { get; private set; }
    public long RecordId { get; private set; }
    public long DepartmentId { get; private set; }
    public string Channel { get; private set; } = "";
    public string ContactName { get; private set; } = "";
    public string ContactPhone { get; private set; } = "";
    public bool ObligationsPerformed { get; private set; }
    public string ObligationsNote { get; private set; } = "";
    public bool CommitmentMade { get; private set; }
    public string SubmittedBy { get; private set; } = "";
    public string RuleSetId { get; private set; } = "";
    public DateOnly EarliestRepairDate { get; private set; }
    public DateOnly SubmittedOn { get; private set; }
    public DateTime SubmittedAt { get; private set; }
    public DateOnly AcceptBy { get; private set; }
    public DateOnly DecideBy { get; private set; }
    public RepairStatus Status { get; private set; }
    public DateTime? AcceptedAt { get; private set; }
    public string? AcceptedBy { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public string? Reasons { get; private set; }
    public DateOnly? ReapplyFrom { get; private set; }
    public DateOnly? EscalatedOn { get; private set; }

    public bool IsOpen => Status is RepairStatus.Submitted or RepairStatus.Accepted;

    public DateOnly? NextDeadline => Status switch
    {
        RepairStatus.Submitted => AcceptBy,
        RepairStatus.Accepted => DecideBy,
        _ => null,
    };

    public bool IsOverdue(DateOnly today) => NextDeadline is { } d && today > d;

    /// <summary>
    /// The earliest day repair may be asked for under the rules in force on <paramref name="applicationDate"/>: the
    /// engine's date, or the decision date itself for the 轻微 grade when those rules allow immediate repair.
    /// </summary>
    public static DateOnly? EarliestDate(RepairEligibility eligibility, DueProcessRules rules, DateOnly applicationDate)
    {
        ArgumentNullException.ThrowIfNull(eligibility);
        ArgumentNullException.ThrowIfNull(rules);
        if (eligibility.RepairFrom is not { } from) return null;
        var set = rules.RuleSetOn(applicationDate);
        return set.Repair.MinorGradeImmediate && eligibility.Grade == PenaltyGrade.Minor && eligibility.DecisionDate < from ? eligibility.DecisionDate : from;
    }

    public static RepairApplication Submit(RepairRequest request, RepairEligibility eligibility, DueProcessRules rules, WorkingDayCalendar calendar, DateTime now, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(eligibility);
        ArgumentNullException.ThrowIfNull(rules);
        var set = rules.RuleSetOn(today);
        if (eligibility.EndedReason is not null)
            throw new RefusedException("already_ended", "该记录已停止公示，无需申请信用修复", "This record is no longer published; there is nothing to repair", RefusalKind.Conflict);
        if (eligibility.HasOpenApplication)
            throw new RefusedException("already_open", "该记录已有正在办理的信用修复申请", "A repair application for this record is already being handled", RefusalKind.Conflict);
        var earliest = EarliestDate(eligibility, rules, today)
            ?? throw new RefusedException("not_repairable", "该类记录不适用信用修复", "Credit repair does not apply to this kind of record", RefusalKind.Invalid);
        if (today < earliest)
        {
            throw new RefusedException("too_early",
                $"最短公示期未满，可于 {Iso(earliest)} 起申请信用修复",
                $"The minimum publicity period has not passed; repair may be applied for from {Iso(earliest)}",
                RefusalKind.TooEarly);
        }
        if (eligibility.ReapplyFrom is { } again && today < again)
        {
            throw new RefusedException("reapply_too_early",
                $"此前的修复申请未获通过，可于 {Iso(again)} 起重新申请",
                $"An earlier application was rejected; a new application is possible from {Iso(again)}",
                RefusalKind.TooEarly);
        }
        if (set.Repair.RequiresObligationsPerformed && !request.ObligationsPerformed)
            throw new RefusedException("obligations_not_met", "申请信用修复须已纠正失信行为、履行相关义务（如缴清罚款）", "Repair requires the failing to be corrected and the obligations performed (e.g. the fine paid)", RefusalKind.Invalid);
        var note = Handler.RequireText(request.ObligationsNote, "obligations_note_required", "请说明履行义务的情况（如罚款缴纳日期、整改情况）",
            "Describe how the obligations were performed (e.g. date the fine was paid, what was corrected)");
        if (set.Repair.RequiresCommitment && !request.CommitmentMade)
            throw new RefusedException("commitment_missing", "申请信用修复须作出信用承诺", "Repair requires a public credit commitment", RefusalKind.Invalid);
        var contact = Handler.RequireText(request.ContactName, "contact_required", "请填写联系人", "Give a contact person");
        var phone = Handler.RequireText(request.ContactPhone, "phone_required", "请填写联系电话", "Give a contact telephone number");
        var deadlines = DueProcessDeadlines.ForRepair(set, calendar, today);
        return new RepairApplication
        {
            SubjectId = request.SubjectId,
            RecordId = request.RecordId,
            DepartmentId = request.DepartmentId,
            Channel = request.Channel,
            ContactName = contact,
            ContactPhone = phone,
            ObligationsPerformed = request.ObligationsPerformed,
            ObligationsNote = note,
            CommitmentMade = request.CommitmentMade,
            SubmittedBy = request.SubmittedBy,
            RuleSetId = set.Id,
            EarliestRepairDate = earliest,
            SubmittedOn = today,
            SubmittedAt = now,
            AcceptBy = deadlines.AcceptBy,
            DecideBy = deadlines.DecideBy,
            Status = RepairStatus.Submitted,
        };
    }

    public static RepairApplication Restore(RepairSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new RepairApplication
        {
            Id = s.Id, SubjectId = s.SubjectId, RecordId = s.RecordId, DepartmentId = s.DepartmentId, Channel = s.Channel, ContactName = s.ContactName,
            ContactPhone = s.ContactPhone, ObligationsPerformed = s.ObligationsPerformed, ObligationsNote = s.ObligationsNote, CommitmentMade = s.CommitmentMade,
            SubmittedBy = s.SubmittedBy, RuleSetId = s.RuleSetId, EarliestRepairDate = s.EarliestRepairDate, SubmittedOn = s.SubmittedOn,
            SubmittedAt = s.SubmittedAt, AcceptBy = s.AcceptBy, DecideBy = s.DecideBy, Status = s.Status, AcceptedAt = s.AcceptedAt,
            AcceptedBy = s.AcceptedBy, DecidedAt = s.DecidedAt, DecidedBy = s.DecidedBy, Reasons = s.Reasons, ReapplyFrom = s.ReapplyFrom,
            EscalatedOn = s.EscalatedOn,
        };
    }

    public void AssignId(long id)
    {
        if (Id != 0) throw new InvalidOperationException("The application already has an id.");
        Id = id;
    }

    /// <summary>受理: the application is complete and will be examined.</summary>
    public void Accept(Handler handler, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.EnsureMayHandle(DepartmentId);
        Expect("accept", RepairStatus.Submitted);
        Status = RepairStatus.Accepted;
        AcceptedAt = at;
        AcceptedBy = handler.Name;
    }

    /// <summary>Repair granted: the record stops being published and shared.</summary>
    public void Approve(Handler handler, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.EnsureMayHandle(DepartmentId);
        Expect("approve", RepairStatus.Accepted);
        Status = RepairStatus.Approved;
        DecidedAt = at;
        DecidedBy = handler.Name;
    }

    /// <summary>
    /// Refused (不予受理 before acceptance, 不予修复 after), with reasons and the first day a new application is possible:
    /// the department's date, or by default the configured wait, never before the minimum period ends.
    /// </summary>
    public void Reject(Handler handler, DateTime at, DateOnly today, string reasons, DueProcessRules rules, DateOnly? reapplyFrom = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(rules);
        handler.EnsureMayHandle(DepartmentId);
        Expect("reject", RepairStatus.Submitted, RepairStatus.Accepted);
        var why = Handler.RequireText(reasons, "reasons_required", "不予修复须说明理由", "A rejection must give reasons");
        var byDefault = today.AddDays(rules.RuleSetOn(SubmittedOn).Repair.ReapplyAfterDays);
        var again = reapplyFrom ?? byDefault;
        if (again < today)
            throw new RefusedException("reapply_in_past", "可重新申请日期不能早于今天", "The date a new application is possible cannot be in the past", RefusalKind.Invalid);
        if (again < EarliestRepairDate) again = EarliestRepairDate;
        Status = RepairStatus.Rejected;
        Reasons = why;
        ReapplyFrom = again;
        DecidedAt = at;
        DecidedBy = handler.Name;
    }

    public bool Escalate(DateOnly today)
    {
        if (!IsOverdue(today) || EscalatedOn is not null) return false;
        EscalatedOn = today;
        return true;
    }

    private void Expect(string step, params RepairStatus[] allowed)
    {
        if (allowed.Contains(Status)) return;
        var (stepZh, stepEn) = step switch
        {
            "accept" => ("受理", "accepted"),
            "approve" => ("批准", "approved"),
            _ => ("驳回", "rejected"),
        };
        if (Status is RepairStatus.Approved or RepairStatus.Rejected)
        {
            throw new RefusedException("already_decided",
                $"该申请已于 {DecidedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} 办结（{StatusZh(Status)}），不能再{stepZh}",
                $"This application was already decided ({Status.ToString().ToLowerInvariant()}); it cannot be {stepEn} now",
                RefusalKind.Conflict);
        }
        throw new RefusedException("wrong_state", $"该申请当前状态为“{StatusZh(Status)}”，不能{stepZh}",
            $"This application is {Status.ToString().ToLowerInvariant()}; it cannot be {stepEn} now", RefusalKind.Conflict);
    }

    public static string StatusZh(RepairStatus status) => status switch
    {
        RepairStatus.Submitted => "已提交",
        RepairStatus.Accepted => "已受理",
        RepairStatus.Approved => "准予修复",
        _ => "不予修复",
    };

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
