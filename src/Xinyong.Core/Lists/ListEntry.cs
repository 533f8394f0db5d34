using Xinyong.Core.Calendar;

namespace Xinyong.Core.Lists;

/// <summary>States of a designation. Only <see cref="Published"/> entries inside their period are in force.</summary>
public static class ListStatus
{
    public const string Proposed = "proposed";
    public const string Noticed = "noticed";
    public const string Decided = "decided";
    public const string Published = "published";
    /// <summary>A red entry put on hold because the subject was black-listed.</summary>
    public const string Suspended = "suspended";
    /// <summary>Left the list: period over, exit conditions met, or the finding behind it repaired.</summary>
    public const string Ended = "ended";
    /// <summary>Taken off by a decision (wrongly listed, decision revoked).</summary>
    public const string Removed = "removed";
    /// <summary>The department decided not to list after the proposal or the objection.</summary>
    public const string Dropped = "dropped";

    public static readonly IReadOnlyList<string> All = [Proposed, Noticed, Decided, Published, Suspended, Ended, Removed, Dropped];

    public static bool IsOpen(string status) => status is Proposed or Noticed or Decided;

    public static string ToChinese(string status) => status switch
    {
        Proposed => "已提出",
        Noticed => "已告知",
        Decided => "已决定",
        Published => "已公布",
        Suspended => "已中止",
        Ended => "已移出",
        Removed => "已撤销",
        Dropped => "不予列入",
        _ => status,
    };

    public static string ToEnglish(string status) => status switch
    {
        Proposed => "Proposed",
        Noticed => "Subject notified",
        Decided => "Decided",
        Published => "Published",
        Suspended => "Suspended",
        Ended => "Ended",
        Removed => "Removed",
        Dropped => "Not listed",
        _ => status,
    };
}

/// <summary>Why an entry ended. 'repaired' is used by credit repair (ended through the source record).</summary>
public static class ListEndReasons
{
    public const string PeriodEnd = "period-end";
    public const string ExitConditions = "exit-conditions";
    public const string Repaired = "repaired";
    public const string Decision = "decision";
}

/// <summary>A refused step, with the field concerned and the reason in both languages.</summary>
public sealed record ListRefusal(string Code, string Field, string Zh, string En);

public sealed class ListRefusedException(ListRefusal refusal) : Exception(refusal.En)
{
    public ListRefusal Refusal { get; } = refusal;
}

/// <summary>One step of a designation, for the history and the audit trail.</summary>
public sealed record ListTransition(string From, string To, DateOnly On, string? Note, string? Step = null)
{
    /// <summary>The audit action name: the step when it does not change the status (e.g. objection window closed), else the new status.</summary>
    public string Action => "list." + (Step ?? (To.Length == 0 ? "change" : To));
}

/// <summary>What a department proposes: the finding behind a listing.</summary>
public sealed record ListProposal(
    string ListType,
    long SubjectId,
    long DepartmentId,
    string? Grounds,
    string? Evidence,
    string? LegalBasis,
    long? SourceRecordId = null,
    string? BusinessKey = null);

/// <summary>
/// A designation on a list, from proposal to exit. State lives here and only the transition methods change it; each
/// refuses a move the procedure does not allow (国办发〔2020〕49号: legal basis, notice with rights, objection window,
/// decision, publication, exit). Nothing here looks at how many records a subject has: a listing is always a
/// department's finding.
/// </summary>
public sealed class ListEntry
{
    // Dapper materialises stored entries through this constructor and the private setters.
    private ListEntry()
    {
    }

    public long Id { get; private set; }
    public string ListType { get; private set; } = default!;
    public DateOnly TypeVersion { get; private set; }
    public string Kind { get; private set; } = default!;
    public long SubjectId { get; private set; }
    public long DepartmentId { get; private set; }
    public string Status { get; private set; } = default!;
    public string LegalBasis { get; private set; } = default!;
    public string Grounds { get; private set; } = default!;
    public string Evidence { get; private set; } = default!;
    public string? DecisionNumber { get; private set; }
    public DateOnly ProposedOn { get; private set; }
    public DateOnly? NoticedOn { get; private set; }
    /// <summary>Last day on which the subject may object (inclusive); a decision may be taken from the next day.</summary>
    public DateOnly? ObjectionUntil { get; private set; }
    /// <summary>The day the department recorded the end of the objection window (with what the subject said, if anything).</summary>
    public DateOnly? ObjectionClosedOn { get; private set; }
    /// <summary>The subject's statement or objection and how it was dealt with, as recorded when the window closed.</summary>
    public string? ObjectionNote { get; private set; }
    public DateOnly? DecidedOn { get; private set; }
    public DateOnly? ListedFrom { get; private set; }
    /// <summary>Exclusive end of the listing; null = until the exit conditions are met.</summary>
    public DateOnly? ListedUntil { get; private set; }
    public DateOnly? EndedOn { get; private set; }
    public string? EndedReason { get; private set; }
    public long? SourceRecordId { get; private set; }
    public string? BusinessKey { get; private set; }

    public ListKind KindValue => ListKinds.FromCode(Kind);

    /// <summary>In force on <paramref name="day"/>: the same rule as the SQL predicate in Xinyong.Data.Lists.</summary>
    public bool IsActiveOn(DateOnly day) =>
        Status == ListStatus.Published && ListedFrom <= day && (ListedUntil is null || ListedUntil > day);

    public void AssignId(long id)
    {
        if (Id != 0) throw new InvalidOperationException("The entry already has an id.");
        Id = id;
    }

    /// <summary>Opens a designation. Refused without grounds, evidence or legal basis, or from a department the type does not name.</summary>
    public static ListEntry Propose(ListProposal p, ListType type, string departmentCode, DateOnly on)
    {
        if (!type.MayBeDesignatedBy(departmentCode))
        {
            throw Refuse("department-not-designating", "departmentId",
                $"本部门不是“{type.NameZh}”的认定部门。", $"This department does not designate '{type.NameEn}'.");
        }
        if (string.IsNullOrWhiteSpace(p.LegalBasis))
        {
            throw Refuse("legal-basis-required", "legalBasis", "列入名单必须有法律、法规或党中央、国务院政策文件依据，请填写认定依据。",
                "A listing needs a legal basis (law, regulation or central policy document); state the basis.");
        }
        if (string.IsNullOrWhiteSpace(p.Grounds))
        {
            throw Refuse("grounds-required", "grounds", "请填写认定事实和理由。", "State the facts and grounds of the finding.");
        }
        if (string.IsNullOrWhiteSpace(p.Evidence))
        {
            throw Refuse("evidence-required", "evidence", "请填写证据材料（如处罚决定书、判决书文号）。",
                "Name the evidence (e.g. the number of the penalty decision or judgment).");
        }
        return new ListEntry
        {
            ListType = type.Id,
            TypeVersion = type.EffectiveFrom,
            Kind = type.Kind.ToCode(),
            SubjectId = p.SubjectId,
            DepartmentId = p.DepartmentId,
            Status = ListStatus.Proposed,
            LegalBasis = p.LegalBasis.Trim(),
            Grounds = p.Grounds.Trim(),
            Evidence = p.Evidence.Trim(),
            ProposedOn = on,
            SourceRecordId = p.SourceRecordId,
            BusinessKey = string.IsNullOrWhiteSpace(p.BusinessKey) ? null : p.BusinessKey.Trim(),
        };
    }

    /// <summary>
    /// A listing decided by the designating department in its own procedure (court, tax and registration systems
    /// that push their decisions): recorded as decided and published on <paramref name="listedFrom"/>.
    /// </summary>
    public static ListEntry RecordDecided(ListProposal p, ListType type, string departmentCode, string decisionNumber, DateOnly decidedOn,
        DateOnly listedFrom, DateOnly? listedUntil, DateOnly today)
    {
        if (!type.DesignatedElsewhere)
        {
            throw Refuse("procedure-required", "listType", $"“{type.NameZh}”须在本平台完成告知和异议程序，不能直接导入决定。",
                $"'{type.NameEn}' must go through notice and objection on the platform; decisions cannot be imported.");
        }
        if (string.IsNullOrWhiteSpace(decisionNumber))
        {
            throw Refuse("decision-number-required", "decisionNumber", "请填写认定决定文书号。", "State the number of the designation decision.");
        }
        if (decidedOn > today) throw Refuse("decision-in-future", "decidedOn", "决定日期不能晚于今天。", "The decision date cannot be in the future.");
        if (listedFrom < decidedOn) throw Refuse("listed-before-decision", "listedFrom", "公布日期不能早于决定日期。", "Listing cannot start before the decision.");
        if (listedUntil is { } u && u <= listedFrom) throw Refuse("period-empty", "listedUntil", "截止日期必须晚于公布日期。", "The end must be after the start.");
        var e = Propose(p, type, departmentCode, decidedOn);
        e.DecisionNumber = decisionNumber.Trim();
        e.DecidedOn = decidedOn;
        e.Status = ListStatus.Published;
        e.ListedFrom = listedFrom;
        e.ListedUntil = listedUntil ?? type.ListedUntil(listedFrom);
        return e;
    }

    /// <summary>The subject is told the grounds and its rights; the objection window starts.</summary>
    public ListTransition Notice(DateOnly on, int objectionWorkingDays, WorkingDayCalendar calendar)
    {
        Require(ListStatus.Proposed, "notice");
        if (on < ProposedOn) throw Refuse("date-before-proposal", "on", "告知日期不能早于提出日期。", "The notice cannot precede the proposal.");
        NoticedOn = on;
        ObjectionUntil = calendar.AddWorkingDays(on, objectionWorkingDays);
        return Move(ListStatus.Noticed, on, $"objection window {objectionWorkingDays} working days, until {ObjectionUntil:yyyy-MM-dd}");
    }

    /// <summary>
    /// Records that the objection window is over, with the subject's statement or objection and how the department dealt
    /// with it (null = nothing was received). Refused while the window is open and when already recorded.
    /// </summary>
    public ListTransition CloseObjectionWindow(DateOnly on, string? statement)
    {
        Require(ListStatus.Noticed, "close");
        RequireWindowOver(on, "close");
        if (ObjectionClosedOn is not null)
        {
            throw Refuse("objection-window-closed", "status", $"异议期已于 {ObjectionClosedOn:yyyy-MM-dd} 记录届满。",
                $"The end of the objection window was already recorded on {ObjectionClosedOn:yyyy-MM-dd}.");
        }
        ObjectionClosedOn = on;
        ObjectionNote = string.IsNullOrWhiteSpace(statement) ? NoStatement : statement.Trim();
        return Move(ListStatus.Noticed, on, ObjectionNote) with { Step = "objection-closed" };
    }

    /// <summary>What is recorded when the subject said nothing during the window.</summary>
    public const string NoStatement = "异议期内未收到陈述、申辩或异议 / no statement or objection received";

    /// <summary>The department decides to list. Refused while the objection window is open.</summary>
    public ListTransition Decide(DateOnly on, string? decisionNumber)
    {
        Require(ListStatus.Noticed, "decide");
        RequireWindowOver(on, "decide");
        if (on < NoticedOn) throw Refuse("date-before-notice", "on", "决定日期不能早于告知日期。", "The decision cannot precede the notice.");
        if (string.IsNullOrWhiteSpace(decisionNumber))
        {
            throw Refuse("decision-number-required", "decisionNumber", "请填写认定决定文书号。", "State the number of the designation decision.");
        }
        DecidedOn = on;
        DecisionNumber = decisionNumber.Trim();
        if (ObjectionClosedOn is null)
        {
            // Deciding after the window implies it closed; what the subject said was not recorded separately.
            ObjectionClosedOn = on;
            ObjectionNote = NoStatement;
        }
        return Move(ListStatus.Decided, on, DecisionNumber);
    }

    private void RequireWindowOver(DateOnly on, string step)
    {
        if (NoticedOn is { } n && ObjectionUntil is { } until && until > n && on <= until)
        {
            throw Refuse("objection-window-open", "on",
                step == "decide" ? $"异议期至 {until:yyyy-MM-dd} 届满，届满前不得作出列入决定。" : $"异议期至 {until:yyyy-MM-dd} 届满，届满前不能记录异议期结束。",
                step == "decide" ? $"The objection window runs until {until:yyyy-MM-dd}; no decision before it closes."
                    : $"The objection window runs until {until:yyyy-MM-dd}; its end cannot be recorded before then.");
        }
    }

    /// <summary>The decision is published: the listing runs from <paramref name="on"/> for the type's period.</summary>
    public ListTransition Publish(DateOnly on, ListType type)
    {
        Require(ListStatus.Decided, "publish");
        if (on < DecidedOn) throw Refuse("date-before-decision", "on", "公布日期不能早于决定日期。", "Publication cannot precede the decision.");
        ListedFrom = on;
        ListedUntil = type.ListedUntil(on);
        return Move(ListStatus.Published, on, ListedUntil is { } u ? $"until {u:yyyy-MM-dd}" : "until exit");
    }

    /// <summary>A red entry is put on hold because the subject is now on a black list.</summary>
    public ListTransition Suspend(DateOnly on, string reason)
    {
        Require(ListStatus.Published, "suspend");
        if (Kind != ListKinds.Red) throw Refuse("only-red-suspended", "status", "只有红名单可以中止。", "Only red-list entries are suspended.");
        EndedOn = on;
        EndedReason = reason;
        return Move(ListStatus.Suspended, on, reason);
    }

    /// <summary>The subject leaves the list: period over, exit conditions met, or repaired.</summary>
    public ListTransition End(DateOnly on, string reason, string? note = null)
    {
        if (Status is not (ListStatus.Published or ListStatus.Suspended)) throw WrongState("end");
        if (reason is not (ListEndReasons.PeriodEnd or ListEndReasons.ExitConditions or ListEndReasons.Repaired))
        {
            throw Refuse("end-reason", "reason", "移出原因必须是期满、符合移出条件或信用修复。", "The reason must be period end, exit conditions or repair.");
        }
        if (ListedFrom is { } f && on < f) throw Refuse("date-before-listing", "on", "移出日期不能早于公布日期。", "Exit cannot precede the listing.");
        EndedOn = on;
        EndedReason = reason;
        // The listing stops on the exit day, so every query using the active predicate agrees at once.
        if (ListedUntil is null || ListedUntil > on) ListedUntil = on;
        return Move(ListStatus.Ended, on, note ?? reason);
    }

    /// <summary>Taken off the list by a decision (wrongly listed, decision revoked); the reason is required.</summary>
    public ListTransition Remove(DateOnly on, string? reason)
    {
        if (Status is not (ListStatus.Published or ListStatus.Suspended)) throw WrongState("remove");
        if (string.IsNullOrWhiteSpace(reason)) throw Refuse("reason-required", "reason", "请填写撤销理由。", "State why the entry is removed.");
        EndedOn = on;
        EndedReason = ListEndReasons.Decision;
        if (ListedUntil is null || ListedUntil > on) ListedUntil = on < ListedFrom ? ListedFrom : on;
        return Move(ListStatus.Removed, on, reason.Trim());
    }

    /// <summary>The department decides not to list (e.g. after the subject's statement).</summary>
    public ListTransition Drop(DateOnly on, string? reason)
    {
        if (!ListStatus.IsOpen(Status)) throw WrongState("drop");
        if (string.IsNullOrWhiteSpace(reason)) throw Refuse("reason-required", "reason", "请填写不予列入的理由。", "State why the subject is not listed.");
        EndedOn = on;
        EndedReason = reason.Trim();
        return Move(ListStatus.Dropped, on, EndedReason);
    }

    private ListTransition Move(string to, DateOnly on, string? note)
    {
        var from = Status;
        Status = to;
        return new ListTransition(from, to, on, note);
    }

    private void Require(string status, string step)
    {
        if (Status != status) throw WrongState(step);
    }

    private ListRefusedException WrongState(string step) => Refuse("illegal-transition", "status",
        $"当前状态为“{ListStatus.ToChinese(Status)}”，不能执行此操作（{StepZh(step)}）。",
        $"The entry is {ListStatus.ToEnglish(Status).ToLowerInvariant()}; it cannot be {StepEn(step)}.");

    private static string StepZh(string step) => step switch
    {
        "notice" => "告知", "close" => "记录异议期届满", "decide" => "决定", "publish" => "公布", "suspend" => "中止", "end" => "移出", "remove" => "撤销", _ => "不予列入",
    };

    private static string StepEn(string step) => step switch
    {
        "notice" => "noticed", "close" => "closed for objections", "decide" => "decided", "publish" => "published", "suspend" => "suspended", "end" => "ended", "remove" => "removed",
        _ => "dropped",
    };

    private static ListRefusedException Refuse(string code, string field, string zh, string en) => new(new ListRefusal(code, field, zh, en));
}
