namespace Xinyong.Core.Commitments;

/// <summary>
/// States of a commitment: registered -> published -> fulfilled | breach-suspected -> breach-confirmed | cleared.
/// A cleared suspicion leaves the commitment in force (it may still be fulfilled or suspected again).
/// </summary>
public static class CommitmentStatus
{
    public const string Registered = "registered";
    public const string Published = "published";
    public const string Fulfilled = "fulfilled";
    public const string BreachSuspected = "breach-suspected";
    public const string BreachConfirmed = "breach-confirmed";
    public const string Cleared = "cleared";

    public static readonly IReadOnlyList<string> All = [Registered, Published, Fulfilled, BreachSuspected, BreachConfirmed, Cleared];

    /// <summary>In force: published and neither fulfilled nor breached (a suspicion is not a finding).</summary>
    public static bool InForce(string status) => status is Published or BreachSuspected or Cleared;

    /// <summary>On the public website: every state after publication. A suspicion is shown as "in force", never as such.</summary>
    public static bool IsPublic(string status) => status is not Registered;

    public static string ToChinese(string status) => status switch
    {
        Registered => "已登记",
        Published => "已公示",
        Fulfilled => "已履约",
        BreachSuspected => "涉嫌违诺",
        BreachConfirmed => "已认定违诺",
        Cleared => "违诺嫌疑已排除",
        _ => status,
    };

    public static string ToEnglish(string status) => status switch
    {
        Registered => "Registered",
        Published => "Published",
        Fulfilled => "Fulfilled",
        BreachSuspected => "Breach suspected",
        BreachConfirmed => "Breach confirmed",
        Cleared => "Suspicion cleared",
        _ => status,
    };

    /// <summary>The status as the public sees it: a suspicion under review is not disclosed.</summary>
    public static string PublicChinese(string status) => status switch
    {
        Fulfilled => "已履约",
        BreachConfirmed => "已违诺",
        _ => "履约中",
    };

    public static string PublicEnglish(string status) => status switch
    {
        Fulfilled => "Fulfilled",
        BreachConfirmed => "Breached",
        _ => "In force",
    };
}

/// <summary>How a commitment reached the platform.</summary>
public static class CommitmentChannels
{
    public const string Form = "form";
    public const string File = "file";
    public const string Api = "api";
    /// <summary>Made by the subject itself on the public website.</summary>
    public const string Online = "online";

    public static bool IsKnown(string channel) => channel is Form or File or Api or Online;
}

/// <summary>Why a refusal happened, for the HTTP status.</summary>
public enum CommitmentRefusalKind
{
    Invalid,
    Conflict,
    Forbidden,
    NotFound,
}

/// <summary>A refused step: a stable code, the field concerned and the reason in Chinese and English.</summary>
public sealed record CommitmentRefusal(string Code, string Field, string Zh, string En, CommitmentRefusalKind Kind);

public sealed class CommitmentRefusedException(CommitmentRefusal refusal) : InvalidOperationException(refusal.En)
{
    public CommitmentRefusal Refusal { get; } = refusal;

    internal static CommitmentRefusedException Invalid(string code, string field, string zh, string en) =>
        new(new CommitmentRefusal(code, field, zh, en, CommitmentRefusalKind.Invalid));

    internal static CommitmentRefusedException Conflict(string code, string zh, string en) =>
        new(new CommitmentRefusal(code, "status", zh, en, CommitmentRefusalKind.Conflict));
}

/// <summary>One step of a commitment, for its history and the audit trail (the store adds who took it).</summary>
public sealed record CommitmentTransition(string From, string To, DateOnly On, string? Note);

/// <summary>What is registered: who commits, to whom, to what, in which matter, on which day.</summary>
public sealed record CommitmentDraft(
    string Kind,
    long SubjectId,
    long DepartmentId,
    string? Content,
    string? Matter,
    DateOnly MadeOn,
    DateOnly? DueOn,
    string Channel,
    string? LegalBasis = null,
    string? BusinessKey = null,
    string? ContactName = null,
    string? ContactPhone = null);

/// <summary>A department's finding that a commitment was breached.</summary>
public sealed record BreachFinding(string? DecisionNumber, string? Facts, string? LegalBasis, string? Grade);

/// <summary>
/// A credit commitment (信用承诺) from registration until it is fulfilled or its breach is decided. State lives here and
/// only the transition methods change it; each refuses a move the procedure does not allow, with the reason.
/// A breach becomes a failing only when the department confirms it with a decision number and a legal basis.
/// </summary>
public sealed class Commitment
{
    private static readonly string[] Grades = ["minor", "general", "serious"];

    // Dapper materialises stored commitments through this constructor and the private setters.
    private Commitment()
    {
    }

    public long Id { get; private set; }
    public string Kind { get; private set; } = default!;
    public DateOnly KindVersion { get; private set; }
    public long SubjectId { get; private set; }
    public long DepartmentId { get; private set; }
    public string Channel { get; private set; } = default!;
    public string Status { get; private set; } = default!;
    public string Content { get; private set; } = default!;
    public string? Matter { get; private set; }
    public string LegalBasis { get; private set; } = default!;
    public DateOnly MadeOn { get; private set; }
    /// <summary>By when the commitment is to be performed (e.g. missing documents supplied); null = no fixed date.</summary>
    public DateOnly? DueOn { get; private set; }
    public DateOnly? PublishedOn { get; private set; }
    public DateOnly? FulfilledOn { get; private set; }
    public DateOnly? SuspectedOn { get; private set; }
    public string? SuspicionNote { get; private set; }
    public DateOnly? ConfirmedOn { get; private set; }
    public string? BreachDecisionNumber { get; private set; }
    public string? BreachFacts { get; private set; }
    public string? BreachBasis { get; private set; }
    public string? BreachGrade { get; private set; }
    /// <summary>The record (type commitment-breach) a confirmed breach became on the subject.</summary>
    public long? BreachRecordId { get; private set; }
    public DateOnly? ClearedOn { get; private set; }
    public string? ClearNote { get; private set; }
    public string? BusinessKey { get; private set; }
    /// <summary>Contact of a subject that committed online; never shown on public surfaces.</summary>
    public string? ContactName { get; private set; }
    public string? ContactPhone { get; private set; }

    public bool InForce => CommitmentStatus.InForce(Status);

    public void AssignId(long id)
    {
        if (Id != 0) throw new InvalidOperationException("The commitment already has an id.");
        Id = id;
    }

    /// <summary>The breach record the store wrote for a confirmed breach.</summary>
    public void AttachBreachRecord(long recordId)
    {
        if (Status != CommitmentStatus.BreachConfirmed) throw new InvalidOperationException("Only a confirmed breach has a record.");
        if (BreachRecordId is not null) throw new InvalidOperationException("The breach record is already attached.");
        BreachRecordId = recordId;
    }

    /// <summary>Registers a commitment. Refused without content, without the matter a kind needs, dated in the future, or online for a kind that is not made online.</summary>
    public static Commitment Register(CommitmentDraft d, CommitmentKind kind, DateOnly today)
    {
        if (!CommitmentChannels.IsKnown(d.Channel)) throw new ArgumentOutOfRangeException(nameof(d), d.Channel, "Unknown channel.");
        if (d.Channel == CommitmentChannels.Online && !kind.OnlineBySubject)
        {
            throw CommitmentRefusedException.Invalid("not-online", "kind", $"“{kind.NameZh}”须向办理部门作出，不能在网站上自行提交。",
                $"A '{kind.NameEn}' is made to the handling department; it cannot be submitted on the website.");
        }
        if (string.IsNullOrWhiteSpace(d.Content))
        {
            throw CommitmentRefusedException.Invalid("content-required", "content", "请填写承诺内容。", "State what is committed.");
        }
        if (kind.MatterRequired && string.IsNullOrWhiteSpace(d.Matter))
        {
            throw CommitmentRefusedException.Invalid("matter-required", "matter", $"“{kind.NameZh}”须写明办理事项。",
                $"A '{kind.NameEn}' names the matter it is made in.");
        }
        if (d.MadeOn > today) throw CommitmentRefusedException.Invalid("made-in-future", "madeOn", "承诺日期不能晚于今天。", "The commitment date cannot be in the future.");
        if (d.DueOn is { } due && due < d.MadeOn)
        {
            throw CommitmentRefusedException.Invalid("due-before-made", "dueOn", "履约期限不能早于承诺日期。", "The due date cannot precede the commitment date.");
        }
        if (d.Channel == CommitmentChannels.Online && (string.IsNullOrWhiteSpace(d.ContactName) || string.IsNullOrWhiteSpace(d.ContactPhone)))
        {
            throw CommitmentRefusedException.Invalid("contact-required", "contact", "网上作出承诺须留下联系人和联系电话。",
                "A commitment made online needs a contact name and telephone number.");
        }
        return new Commitment
        {
            Kind = kind.Id,
            KindVersion = kind.EffectiveFrom,
            SubjectId = d.SubjectId,
            DepartmentId = d.DepartmentId,
            Channel = d.Channel,
            Status = CommitmentStatus.Registered,
            Content = d.Content.Trim(),
            Matter = string.IsNullOrWhiteSpace(d.Matter) ? null : d.Matter.Trim(),
            // The kind's basis unless the department names a more specific one (a sector regulation).
            LegalBasis = string.IsNullOrWhiteSpace(d.LegalBasis) ? kind.LegalBasisZh : d.LegalBasis.Trim(),
            MadeOn = d.MadeOn,
            DueOn = d.DueOn,
            BusinessKey = string.IsNullOrWhiteSpace(d.BusinessKey) ? null : d.BusinessKey.Trim(),
            ContactName = string.IsNullOrWhiteSpace(d.ContactName) ? null : d.ContactName.Trim(),
            ContactPhone = string.IsNullOrWhiteSpace(d.ContactPhone) ? null : d.ContactPhone.Trim(),
        };
    }

    /// <summary>The commitment goes on public view (信用承诺 on the subject's page).</summary>
    public CommitmentTransition Publish(DateOnly on)
    {
        Require("publish", CommitmentStatus.Registered);
        if (on < MadeOn) throw CommitmentRefusedException.Invalid("date-before-commitment", "on", "公示日期不能早于承诺日期。", "Publication cannot precede the commitment.");
        PublishedOn = on;
        return Move(CommitmentStatus.Published, on, null);
    }

    /// <summary>The commitment was kept (documents supplied, period passed without breach). Refused after a confirmed breach.</summary>
    public CommitmentTransition Fulfil(DateOnly on, string? note)
    {
        if (Status == CommitmentStatus.BreachConfirmed)
        {
            throw CommitmentRefusedException.Conflict("breach-confirmed",
                $"该承诺已于 {ConfirmedOn:yyyy-MM-dd} 被认定违诺（{BreachDecisionNumber}），不能再登记为已履约。",
                $"A breach of this commitment was confirmed on {ConfirmedOn:yyyy-MM-dd} ({BreachDecisionNumber}); it cannot be recorded as fulfilled.");
        }
        if (Status == CommitmentStatus.BreachSuspected)
        {
            throw CommitmentRefusedException.Conflict("breach-under-review", "该承诺涉嫌违诺正在核查，请先认定违诺或排除嫌疑。",
                "A suspected breach is under review; confirm it or clear it first.");
        }
        Require("fulfil", CommitmentStatus.Published, CommitmentStatus.Cleared);
        if (on < PublishedOn) throw CommitmentRefusedException.Invalid("date-before-publication", "on", "履约日期不能早于公示日期。", "Fulfilment cannot precede publication.");
        FulfilledOn = on;
        return Move(CommitmentStatus.Fulfilled, on, Trimmed(note));
    }

    /// <summary>The department suspects a breach (e.g. a post-approval check found the conditions unmet); the facts are required.</summary>
    public CommitmentTransition SuspectBreach(DateOnly on, string? facts)
    {
        Require("suspect", CommitmentStatus.Published, CommitmentStatus.Cleared);
        if (string.IsNullOrWhiteSpace(facts))
        {
            throw CommitmentRefusedException.Invalid("facts-required", "facts", "请写明涉嫌违诺的事实。", "State the facts of the suspected breach.");
        }
        if (on < PublishedOn) throw CommitmentRefusedException.Invalid("date-before-publication", "on", "日期不能早于公示日期。", "The date cannot precede publication.");
        SuspectedOn = on;
        SuspicionNote = facts.Trim();
        return Move(CommitmentStatus.BreachSuspected, on, SuspicionNote);
    }

    /// <summary>
    /// The department confirms the breach: with a decision number, the facts and the legal basis. Refused unless a
    /// breach is suspected (so twice is refused), and with a grade outside minor / general / serious.
    /// </summary>
    public CommitmentTransition ConfirmBreach(DateOnly on, BreachFinding finding, CommitmentKind kind)
    {
        if (Status == CommitmentStatus.BreachConfirmed)
        {
            throw CommitmentRefusedException.Conflict("breach-already-confirmed",
                $"该承诺的违诺已于 {ConfirmedOn:yyyy-MM-dd} 认定（{BreachDecisionNumber}），不能重复认定。",
                $"The breach was already confirmed on {ConfirmedOn:yyyy-MM-dd} ({BreachDecisionNumber}); it cannot be confirmed twice.");
        }
        Require("confirm", CommitmentStatus.BreachSuspected);
        if (string.IsNullOrWhiteSpace(finding.DecisionNumber))
        {
            throw CommitmentRefusedException.Invalid("decision-number-required", "decisionNumber", "请填写违诺认定文书号。", "State the number of the breach decision.");
        }
        if (string.IsNullOrWhiteSpace(finding.LegalBasis))
        {
            throw CommitmentRefusedException.Invalid("legal-basis-required", "legalBasis", "认定违诺必须写明法律、法规或政策依据。",
                "A breach finding needs its legal basis (law, regulation or policy document).");
        }
        var facts = string.IsNullOrWhiteSpace(finding.Facts) ? SuspicionNote : finding.Facts.Trim();
        if (string.IsNullOrWhiteSpace(facts)) throw CommitmentRefusedException.Invalid("facts-required", "facts", "请写明违诺事实。", "State the facts of the breach.");
        var grade = string.IsNullOrWhiteSpace(finding.Grade) ? kind.BreachGradeDefault : finding.Grade.Trim();
        if (!Grades.Contains(grade))
        {
            throw CommitmentRefusedException.Invalid("grade-invalid", "grade", "失信程度只能是轻微、一般或严重。", "The grade must be minor, general or serious.");
        }
        if (on < SuspectedOn) throw CommitmentRefusedException.Invalid("date-before-suspicion", "on", "认定日期不能早于发现违诺嫌疑的日期。", "The finding cannot precede the suspicion.");
        ConfirmedOn = on;
        BreachDecisionNumber = finding.DecisionNumber.Trim();
        BreachFacts = facts;
        BreachBasis = finding.LegalBasis.Trim();
        BreachGrade = grade;
        return Move(CommitmentStatus.BreachConfirmed, on, BreachDecisionNumber);
    }

    /// <summary>The suspicion is not borne out: the commitment stays in force. The reason is required.</summary>
    public CommitmentTransition Clear(DateOnly on, string? reason)
    {
        Require("clear", CommitmentStatus.BreachSuspected);
        if (string.IsNullOrWhiteSpace(reason)) throw CommitmentRefusedException.Invalid("reason-required", "reason", "请写明排除违诺嫌疑的理由。", "State why the suspicion is cleared.");
        if (on < SuspectedOn) throw CommitmentRefusedException.Invalid("date-before-suspicion", "on", "日期不能早于发现违诺嫌疑的日期。", "The date cannot precede the suspicion.");
        ClearedOn = on;
        ClearNote = reason.Trim();
        return Move(CommitmentStatus.Cleared, on, ClearNote);
    }

    private CommitmentTransition Move(string to, DateOnly on, string? note)
    {
        var from = Status;
        Status = to;
        return new CommitmentTransition(from, to, on, note);
    }

    private void Require(string step, params string[] allowed)
    {
        if (allowed.Contains(Status)) return;
        throw CommitmentRefusedException.Conflict("illegal-transition",
            $"当前状态为“{CommitmentStatus.ToChinese(Status)}”，不能{StepZh(step)}。",
            $"The commitment is {CommitmentStatus.ToEnglish(Status).ToLowerInvariant()}; it cannot be {StepEn(step)}.");
    }

    private static string StepZh(string step) => step switch
    {
        "publish" => "公示", "fulfil" => "登记履约", "suspect" => "登记违诺嫌疑", "confirm" => "认定违诺", _ => "排除违诺嫌疑",
    };

    private static string StepEn(string step) => step switch
    {
        "publish" => "published", "fulfil" => "recorded as fulfilled", "suspect" => "suspected of breach", "confirm" => "confirmed as breached", _ => "cleared",
    };

    private static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
