using Xinyong.Core.DueProcess;

namespace Xinyong.Core.Measures;

/// <summary>The two kinds of lenient handling of seed 001 (包容审慎).</summary>
public static class LenientKinds
{
    /// <summary>轻微失信豁免: the failing behind one listing is minor, so its punishments are not applied.</summary>
    public const string MinorExemption = "minor-exemption";

    /// <summary>不可抗力: punishments against the subject are suspended for a period (e.g. epidemic-related failings).</summary>
    public const string ForceMajeure = "force-majeure";

    public static bool IsKnown(string kind) => kind is MinorExemption or ForceMajeure;

    public static string ToChinese(string kind) => kind switch
    {
        MinorExemption => "轻微失信豁免",
        ForceMajeure => "不可抗力暂缓惩戒",
        _ => kind,
    };

    public static string ToEnglish(string kind) => kind switch
    {
        MinorExemption => "Minor-failing exemption",
        ForceMajeure => "Force majeure suspension",
        _ => kind,
    };
}

/// <summary>What staff ask for when they set a lenient rule.</summary>
public sealed record LenientRuleDraft(string Kind, long SubjectId, long? ListEntryId, string? LegalBasis, string? Reason, DateOnly ValidFrom, DateOnly? ValidUntil);

/// <summary>
/// A lenient rule on a subject: a minor-failing exemption for one listing, or a force-majeure suspension for a period.
/// Either withholds punishments only (rewards are never withheld) and always names its legal basis. Revoking it ends it
/// from that day; it is never deleted.
/// </summary>
public sealed class LenientRule
{
    private LenientRule()
    {
    }

    public long Id { get; private set; }
    public string Kind { get; private set; } = default!;
    public long SubjectId { get; private set; }
    public long? ListEntryId { get; private set; }
    public string LegalBasis { get; private set; } = default!;
    public string Reason { get; private set; } = default!;
    public DateOnly ValidFrom { get; private set; }
    /// <summary>Exclusive end; null = for as long as the listing lasts (exemptions only).</summary>
    public DateOnly? ValidUntil { get; private set; }
    public DateOnly? RevokedOn { get; private set; }
    public string? RevokeReason { get; private set; }

    public bool IsRevoked => RevokedOn is not null;

    public void AssignId(long id)
    {
        if (Id != 0) throw new InvalidOperationException("The rule already has an id.");
        Id = id;
    }

    /// <summary>Sets a rule. Refused without legal basis or reason; an exemption must name the listing, a suspension its end.</summary>
    public static LenientRule Create(LenientRuleDraft d, DateOnly today)
    {
        if (!LenientKinds.IsKnown(d.Kind))
            throw new RefusedException("unknown-lenient-kind", $"未知的包容审慎类型“{d.Kind}”，应为轻微失信豁免或不可抗力。",
                $"Unknown lenient kind '{d.Kind}'; use minor-exemption or force-majeure.", RefusalKind.Invalid);
        var basis = Handler.RequireText(d.LegalBasis, "legal-basis-required", "包容审慎措施必须注明法律、法规或政策文件依据。",
            "A lenient rule needs a legal basis (law, regulation or policy document).");
        var reason = Handler.RequireText(d.Reason, "reason-required", "请说明认定为轻微失信或不可抗力的事实和理由。",
            "State the facts that make the failing minor or the cause force majeure.");
        if (d.Kind == LenientKinds.MinorExemption && d.ListEntryId is null)
            throw new RefusedException("list-entry-required", "轻微失信豁免须指明所针对的名单认定（失信行为）。",
                "A minor-failing exemption must name the listing (the failing) it exempts.", RefusalKind.Invalid);
        if (d.Kind == LenientKinds.ForceMajeure && d.ValidUntil is null)
            throw new RefusedException("period-required", "不可抗力暂缓惩戒须写明截止日期。", "A force-majeure suspension needs an end date.", RefusalKind.Invalid);
        if (d.ValidUntil is { } until && until <= d.ValidFrom)
            throw new RefusedException("period-empty", "截止日期必须晚于起始日期。", "The end must be after the start.", RefusalKind.Invalid);
        if (d.ValidUntil is { } u && u <= today)
            throw new RefusedException("period-past", "截止日期已过，规则不会再起作用。", "The period has already ended.", RefusalKind.Invalid);
        return new LenientRule
        {
            Kind = d.Kind, SubjectId = d.SubjectId, ListEntryId = d.ListEntryId, LegalBasis = basis, Reason = reason,
            ValidFrom = d.ValidFrom, ValidUntil = d.ValidUntil,
        };
    }

    /// <summary>In effect on <paramref name="day"/>: not revoked by then, inside its period.</summary>
    public bool InEffectOn(DateOnly day) =>
        (RevokedOn is null || RevokedOn > day) && ValidFrom <= day && (ValidUntil is null || ValidUntil > day);

    /// <summary>Whether this rule withholds the punishments that <paramref name="entry"/> triggers on <paramref name="day"/>.</summary>
    public bool Covers(TriggeringEntry entry, DateOnly day) =>
        InEffectOn(day) && entry.SubjectId == SubjectId && (ListEntryId is null || ListEntryId == entry.Id);

    public void Revoke(DateOnly on, string? reason)
    {
        if (RevokedOn is not null)
            throw new RefusedException("already-revoked", "该规则已撤销。", "The rule has already been revoked.", RefusalKind.Conflict);
        RevokeReason = Handler.RequireText(reason, "reason-required", "请说明撤销理由。", "State why the rule is revoked.");
        RevokedOn = on;
    }
}
