using System.Globalization;
using Xinyong.Core.Commitments;
using Xinyong.Core.Lists;
using Xinyong.Core.Normalization;
using Xinyong.Core.Reports;
using Xinyong.Data.Commitments;
using Xinyong.Data.Lists;
using Xinyong.Data.Publication;

namespace Xinyong.Data.Reports;

/// <summary>How one record, list entry or commitment reads in a report: the fields of the national report, empty ones left out.</summary>
public sealed partial class ReportComposer
{
    private const string ObjectionField = "异议状态";

    private const string ObjectionText = "异议中：主体已对该信息提出异议，信息提供单位正在核查。";

    private ReportItem Licence(PublicRecord r) => Flagged(new(r.LicenceName ?? r.DocumentName ?? "行政许可", Fields(
        ("许可文书号", r.DecisionNumber),
        ("许可编号", r.LicenceNumber),
        ("许可类别", ChineseText.JoinList(r.Kinds)),
        ("许可内容", r.Content),
        ("许可机关", r.AuthorityName),
        ("许可决定日期", Date(r.DecisionDate)),
        ("有效期", r.ValidFrom is null && r.ValidTo is null ? null : $"{Date(r.ValidFrom)}至{(r.ValidTo is { Year: 2099 } ? "长期" : Date(r.ValidTo))}"),
        (ObjectionField, r.UnderObjection ? ObjectionText : null))), r.UnderObjection);

    private ReportItem Penalty(PublicRecord r) => Flagged(new(r.DecisionNumber, Fields(
        ("违法行为类型", r.Conduct),
        ("违法事实", r.Facts),
        ("处罚依据", r.Basis),
        ("处罚类别", ChineseText.JoinList(r.Kinds)),
        ("处罚内容", r.Content),
        ("罚款金额（元）", r.FineWan is { } w ? (w * 10000m).ToString("#,0.##", CultureInfo.InvariantCulture) : null),
        ("处罚机关", r.AuthorityName),
        ("处罚决定日期", Date(r.DecisionDate)),
        ("失信程度", GradeZh(r.Grade) + (rules.Sector(r.Sector) is { } s ? $"（{s.NameZh}领域）" : "")),
        ("公示期限", PublicityPeriod(r)),
        ("信用修复", r.RepairFrom is { } repair ? $"最短公示期满后（{Date(repair)}起）可依法申请信用修复" : "可依法申请信用修复"),
        ("公示依据", rules.Find(r.RuleSet)?.TitleZh ?? r.RuleSet),
        (ObjectionField, r.UnderObjection ? ObjectionText : null))), r.UnderObjection);

    private ReportItem ListItem(PublicListEntry e, bool underObjection)
    {
        var type = listTypes.Latest(e.ListType);
        var adverse = e.Kind != ListKinds.Red;
        return Flagged(new ReportItem(type?.NameZh ?? e.ListType, Fields(
            ("名单类别", e.Kind switch { ListKinds.Red => "守信激励名单（红名单）", ListKinds.Black => "严重失信主体名单（黑名单）", _ => "重点关注名单" }),
            ("认定部门", e.DepartmentName),
            ("列入决定文号", e.DecisionNumber),
            ("列入事由", e.Grounds),
            ("认定依据", e.LegalBasis),
            ("列入期限", e.ListedUntil is { } u ? $"{Date(e.ListedFrom)}至{Date(u.AddDays(-1))}" : $"自{Date(e.ListedFrom)}起，至满足移出条件时"),
            (adverse ? "移出条件" : "有效期说明", type?.ExitZh),
            // A red list takes nothing away: the remedies of an adverse listing are what the subject can do against it.
            ("救济途径", adverse ? type?.RemediesZh ?? "认为信息有误的，可向认定部门或本平台提出异议；可依法申请行政复议或提起行政诉讼。" : null),
            (ObjectionField, underObjection ? ObjectionText : null))), underObjection);
    }

    /// <summary>
    /// The subject's commitments on public view; a confirmed breach carries its record (facts, basis, publicity period,
    /// repair) when that record is itself on view. A breach record whose commitment is not shown stands as its own item.
    /// </summary>
    private IReadOnlyList<ReportItem> CommitmentItems(IReadOnlyList<PublicCommitment> committed, IReadOnlyList<PublicRecord> breaches)
    {
        var byRecord = breaches.ToDictionary(b => b.RecordId);
        var items = committed.Select(c => CommitmentItem(c, c.BreachRecordId is { } id ? byRecord.GetValueOrDefault(id) : null)).ToList();
        var shown = committed.Where(c => c.BreachRecordId is not null).Select(c => c.BreachRecordId!.Value).ToHashSet();
        items.AddRange(breaches.Where(b => !shown.Contains(b.RecordId)).Select(b => Flagged(new ReportItem($"违背信用承诺记录 {b.DecisionNumber}", Fields(
            [("承诺类型", ChineseText.JoinList(b.Kinds)), ("办理事项", b.Conduct), ("承诺内容", b.Content), .. BreachFields(b)])), b.UnderObjection)));
        return items;
    }

    private ReportItem CommitmentItem(PublicCommitment c, PublicRecord? breach)
    {
        var kind = commitmentKinds.Latest(c.Kind);
        (string, string?)[] fields =
        [
            ("履约状态", CommitmentStatus.PublicChinese(c.Status)),
            ("承诺内容", c.Content),
            ("办理事项", c.Matter),
            ("承诺日期", Date(c.MadeOn) + (c.Channel == CommitmentChannels.Online ? "（网上自主承诺）" : "")),
            ("履约期限", c.DueOn is { } due ? Date(due) : null),
            ("受理部门", c.DepartmentName),
            ("承诺依据", c.LegalBasis),
            ("公示日期", Date(c.PublishedOn)),
            ("履约确认日期", c.FulfilledOn is { } kept ? Date(kept) : null),
            ("违诺认定", c.ConfirmedOn is { } on ? $"{c.BreachDecisionNumber}（{Date(on)}）" : null),
        ];
        return Flagged(new ReportItem(kind?.NameZh ?? c.Kind, Fields([.. fields, .. breach is null ? [] : BreachFields(breach)])), breach?.UnderObjection == true);
    }

    private (string, string?)[] BreachFields(PublicRecord b) =>
    [
        ("违诺事实", b.Facts),
        ("认定依据", b.Basis),
        ("认定机关", b.AuthorityName),
        ("失信程度", GradeZh(b.Grade)),
        ("公示期限", PublicityPeriod(b)),
        ("信用修复", b.RepairFrom is { } repair
            ? $"最短公示期满后（{Date(repair)}起），已纠正违诺行为、履行义务并重新作出信用承诺的，可依法申请信用修复"
            : "已纠正违诺行为、履行义务并重新作出信用承诺的，可依法申请信用修复"),
        (ObjectionField, b.UnderObjection ? ObjectionText : null),
    ];

    private static string PublicityPeriod(PublicRecord r) =>
        r.PublishUntil is { } until ? $"{Date(r.PublishFrom)}至{Date(until.AddDays(-1))}" : $"自{Date(r.PublishFrom)}起";

    private static ReportItem Flagged(ReportItem item, bool underObjection) => underObjection ? item with { Flag = UnderObjection } : item;

    private static IReadOnlyList<ReportField> Fields(params (string Label, string? Value)[] fields) =>
        fields.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => new ReportField(f.Label, f.Value!)).ToList();
}
