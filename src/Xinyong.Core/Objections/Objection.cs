using System.Globalization;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;

namespace Xinyong.Core.Objections;

public enum ObjectionStatus
{
    Filed,
    Acknowledged,
    Verified,
    Decided,
}

public enum ObjectionOutcome
{
    Upheld,
    PartlyUpheld,
    Rejected,
}

/// <summary>What an objection is against: a record, a list entry or a credit check result.</summary>
public enum ObjectionTargetKind
{
    Record,
    ListEntry,
    CheckResult,
}

/// <summary>One field of the item as it was and as the decision corrects it.</summary>
public sealed record FieldCorrection(string Field, string? OldValue, string? NewValue);

/// <summary>What the subject (or staff on its behalf) files.</summary>
public sealed record ObjectionFiling(
    long SubjectId,
    ObjectionTargetKind TargetKind,
    long TargetId,
    long DepartmentId,
    string Channel,
    string ContactName,
    string ContactPhone,
    string Claim,
    string FiledBy);

/// <summary>The stored state of an objection (for loading an <see cref="Objection"/> back).</summary>
public sealed record ObjectionSnapshot
{
    public long Id { get; init; }
    public long SubjectId { get; init; }
    public ObjectionTargetKind TargetKind { get; init; }
    public long TargetId { get; init; }
    public long DepartmentId { get; init; }
    public string Channel { get; init; } = "";
    public string ContactName { get; init; } = "";
    public string ContactPhone { get; init; } = "";
    public string Claim { get; init; } = "";
    public string FiledBy { get; init; } = "";
    public string RuleSetId { get; init; } = "";
    public DateOnly FiledOn { get; init; }
    public DateTime FiledAt { get; init; }
    public DateOnly AcknowledgeBy { get; init; }
    public DateOnly VerifyBy { get; init; }
    public DateOnly DecideBy { get; init; }
    public ObjectionStatus Status { get; init; }
    public DateTime? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public DateTime? VerifiedAt { get; init; }
    public string? VerifiedBy { get; init; }
    public string? VerificationNote { get; init; }
    public DateTime? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public ObjectionOutcome? Outcome { get; init; }
    public string? Reasons { get; init; }
    public IReadOnlyList<FieldCorrection> Corrections { get; init; } = [];
    public bool Withdraw { get; init; }
    public DateOnly? EscalatedOn { get; init; }
}

/// <summary>
/// An objection (异议) against an item: filed, acknowledged (compared with the source), verified by the providing
/// department, decided once (upheld with corrections or withdrawal, partly upheld, or rejected with reasons).
/// Every step checks the state it comes from and who is acting; illegal moves are refused with a reason.
/// </summary>
public sealed class Objection
{
    private Objection()
    {
    }

    public long Id { get; private set; }
    public long SubjectId { get; private set; }
    public ObjectionTargetKind TargetKind { get; private set; }
    public long TargetId { get; private set; }
    public long DepartmentId { get; private set; }
    public string Channel { get; private set; } = "";
    public string ContactName { get; private set; } = "";
    public string ContactPhone { get; private set; } = "";
    public string Claim { get; private set; } = "";
    public string FiledBy { get; private set; } = "";
    public string RuleSetId { get; private set; } = "";
    public DateOnly FiledOn { get; private set; }
    public DateTime FiledAt { get; private set; }
    public DateOnly AcknowledgeBy { get; private set; }
    public DateOnly VerifyBy { get; private set; }
    public DateOnly DecideBy { get; private set; }
    public ObjectionStatus Status { get; private set; }
    public DateTime? AcknowledgedAt { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public DateTime? VerifiedAt { get; private set; }
    public string? VerifiedBy { get; private set; }
    public string? VerificationNote { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public ObjectionOutcome? Outcome { get; private set; }
    public string? Reasons { get; private set; }
    public IReadOnlyList<FieldCorrection> Corrections { get; private set; } = [];
    public bool Withdraw { get; private set; }
    public DateOnly? EscalatedOn { get; private set; }

    /// <summary>Open until decided: while open the item is shown as 异议中 everywhere.</summary>
    public bool IsOpen => Status != ObjectionStatus.Decided;

    /// <summary>The deadline of the next step, or null once decided.</summary>
    public DateOnly? NextDeadline => Status switch
    {
        ObjectionStatus.Filed => AcknowledgeBy,
        ObjectionStatus.Acknowledged => VerifyBy,
        ObjectionStatus.Verified => DecideBy,
        _ => null,
    };

    public bool IsOverdue(DateOnly today) => NextDeadline is { } d && today > d;

    public static Objection File(ObjectionFiling filing, DueProcessRules rules, WorkingDayCalendar calendar, DateTime now, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(filing);
        ArgumentNullException.ThrowIfNull(rules);
        var claim = Handler.RequireText(filing.Claim, "claim_required", "请说明异议的内容和理由", "State what is wrong and why");
        var contact = Handler.RequireText(filing.ContactName, "contact_required", "请填写联系人", "Give a contact person");
        var phone = Handler.RequireText(filing.ContactPhone, "phone_required", "请填写联系电话", "Give a contact telephone number");
        if (claim.Length > 4000)
            throw new RefusedException("claim_too_long", "异议内容不能超过 4000 字", "The claim must not exceed 4,000 characters", RefusalKind.Invalid);
        var set = rules.RuleSetOn(today);
        var deadlines = DueProcessDeadlines.ForObjection(set, calendar, today);
        return new Objection
        {
            SubjectId = filing.SubjectId,
            TargetKind = filing.TargetKind,
            TargetId = filing.TargetId,
            DepartmentId = filing.DepartmentId,
            Channel = filing.Channel,
            ContactName = contact,
            ContactPhone = phone,
            Claim = claim,
            FiledBy = filing.FiledBy,
            RuleSetId = set.Id,
            FiledOn = today,
            FiledAt = now,
            AcknowledgeBy = deadlines.AcknowledgeBy,
            VerifyBy = deadlines.VerifyBy,
            DecideBy = deadlines.DecideBy,
            Status = ObjectionStatus.Filed,
        };
    }

    public static Objection Restore(ObjectionSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new Objection
        {
            Id = s.Id, SubjectId = s.SubjectId, TargetKind = s.TargetKind, TargetId = s.TargetId, DepartmentId = s.DepartmentId, Channel = s.Channel,
            ContactName = s.ContactName, ContactPhone = s.ContactPhone, Claim = s.Claim, FiledBy = s.FiledBy, RuleSetId = s.RuleSetId,
            FiledOn = s.FiledOn, FiledAt = s.FiledAt, AcknowledgeBy = s.AcknowledgeBy, VerifyBy = s.VerifyBy, DecideBy = s.DecideBy, Status = s.Status,
            AcknowledgedAt = s.AcknowledgedAt, AcknowledgedBy = s.AcknowledgedBy, VerifiedAt = s.VerifiedAt, VerifiedBy = s.VerifiedBy,
            VerificationNote = s.VerificationNote, DecidedAt = s.DecidedAt, DecidedBy = s.DecidedBy, Outcome = s.Outcome, Reasons = s.Reasons,
            Corrections = s.Corrections, Withdraw = s.Withdraw, EscalatedOn = s.EscalatedOn,
        };
    }

    /// <summary>Assigned once by storage.</summary>
    public void AssignId(long id)
    {
        if (Id != 0) throw new InvalidOperationException("The objection already has an id.");
        Id = id;
    }

    /// <summary>Received and compared with the source record (登记比对).</summary>
    public void Acknowledge(Handler handler, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.EnsureMayHandle(DepartmentId);
        Expect(ObjectionStatus.Filed, "acknowledge");
        Status = ObjectionStatus.Acknowledged;
        AcknowledgedAt = at;
        AcknowledgedBy = handler.Name;
    }

    /// <summary>The providing department has checked the item against its files (核查).</summary>
    public void Verify(Handler handler, DateTime at, string note)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.EnsureMayHandle(DepartmentId);
        Expect(ObjectionStatus.Acknowledged, "verify");
        VerificationNote = Handler.RequireText(note, "note_required", "请填写核查情况", "Describe what the verification found");
        Status = ObjectionStatus.Verified;
        VerifiedAt = at;
        VerifiedBy = handler.Name;
    }

    /// <summary>
    /// The decision, made once. Upheld: corrections or withdrawal of the item. Partly upheld: corrections and reasons for
    /// the rest. Rejected: reasons, no corrections.
    /// </summary>
    public void Decide(Handler handler, DateTime at, ObjectionOutcome outcome, string? reasons, IReadOnlyList<FieldCorrection>? corrections, bool withdraw)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.EnsureMayHandle(DepartmentId);
        if (Status == ObjectionStatus.Decided)
        {
            throw new RefusedException("already_decided",
                $"该异议已于 {DecidedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} 作出处理决定，不能重复决定",
                $"This objection was already decided on {DecidedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; it cannot be decided twice",
                RefusalKind.Conflict);
        }
        Expect(ObjectionStatus.Verified, "decide");
        corrections ??= [];
        var changed = corrections.Where(c => !string.Equals(c.OldValue ?? "", c.NewValue ?? "", StringComparison.Ordinal)).ToList();
        if (corrections.Select(c => c.Field).Distinct(StringComparer.Ordinal).Count() != corrections.Count)
            throw new RefusedException("duplicate_field", "同一字段只能更正一次", "Each field may be corrected only once", RefusalKind.Invalid);
        switch (outcome)
        {
            case ObjectionOutcome.Upheld:
                if (withdraw && changed.Count > 0)
                    throw new RefusedException("withdraw_or_correct", "撤销记录时不能同时更正字段", "A withdrawn item cannot also be corrected", RefusalKind.Invalid);
                // A check result is not corrected in place: an upheld objection sets it aside (the check is made again on corrected data).
                if (!withdraw && changed.Count == 0 && TargetKind != ObjectionTargetKind.CheckResult)
                    throw new RefusedException("correction_required", "异议成立：请逐项填写更正内容，或撤销该记录",
                        "Upheld: give the corrections field by field, or withdraw the item", RefusalKind.Invalid);
                if (withdraw && TargetKind != ObjectionTargetKind.Record && TargetKind != ObjectionTargetKind.ListEntry)
                    throw new RefusedException("withdraw_not_possible", "该类事项不能撤销", "This kind of item cannot be withdrawn", RefusalKind.Invalid);
                break;
            case ObjectionOutcome.PartlyUpheld:
                if (withdraw)
                    throw new RefusedException("withdraw_partly", "部分成立时不能撤销记录，请逐项更正", "Partly upheld: correct fields, do not withdraw", RefusalKind.Invalid);
                if (changed.Count == 0)
                    throw new RefusedException("correction_required", "异议部分成立：请逐项填写更正内容", "Partly upheld: give the corrections field by field", RefusalKind.Invalid);
                Handler.RequireText(reasons, "reasons_required", "异议部分成立：请说明不予采纳部分的理由", "Partly upheld: give reasons for the part not accepted");
                break;
            case ObjectionOutcome.Rejected:
                if (withdraw || changed.Count > 0)
                    throw new RefusedException("rejected_with_changes", "异议不成立时不能更正或撤销记录", "A rejected objection cannot correct or withdraw the item", RefusalKind.Invalid);
                Handler.RequireText(reasons, "reasons_required", "异议不成立：请说明理由", "Rejected: give the reasons");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome));
        }
        if (changed.Count > 0 && TargetKind != ObjectionTargetKind.Record)
            throw new RefusedException("correction_not_possible", "只有信用记录可以逐项更正", "Only records can be corrected field by field", RefusalKind.Invalid);
        Status = ObjectionStatus.Decided;
        Outcome = outcome;
        Reasons = string.IsNullOrWhiteSpace(reasons) ? null : reasons.Trim();
        Corrections = changed;
        Withdraw = withdraw;
        DecidedAt = at;
        DecidedBy = handler.Name;
    }

    /// <summary>Marks an overdue case as escalated to the credit office (once). Returns false when nothing changed.</summary>
    public bool Escalate(DateOnly today)
    {
        if (!IsOverdue(today) || EscalatedOn is not null) return false;
        EscalatedOn = today;
        return true;
    }

    private void Expect(ObjectionStatus expected, string step)
    {
        if (Status == expected) return;
        var (zh, en) = (StatusZh(Status), Status.ToString().ToLowerInvariant());
        var (stepZh, stepEn) = step switch
        {
            "acknowledge" => ("登记", "acknowledged"),
            "verify" => ("核查", "verified"),
            _ => ("决定", "decided"),
        };
        throw new RefusedException("wrong_state", $"该异议当前状态为“{zh}”，不能{stepZh}", $"This objection is {en}; it cannot be {stepEn} now", RefusalKind.Conflict);
    }

    public static string StatusZh(ObjectionStatus status) => status switch
    {
        ObjectionStatus.Filed => "已提交",
        ObjectionStatus.Acknowledged => "已登记",
        ObjectionStatus.Verified => "已核查",
        _ => "已办结",
    };

    public static string OutcomeZh(ObjectionOutcome outcome) => outcome switch
    {
        ObjectionOutcome.Upheld => "异议成立",
        ObjectionOutcome.PartlyUpheld => "异议部分成立",
        _ => "异议不成立",
    };
}
