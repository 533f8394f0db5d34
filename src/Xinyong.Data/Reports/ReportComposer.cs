using System.Globalization;
using Xinyong.Core.Commitments;
using Xinyong.Core.Lists;
using Xinyong.Core.Publication;
using Xinyong.Core.Reports;
using Xinyong.Data.Commitments;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Data.Objections;
using Xinyong.Data.Publication;

namespace Xinyong.Data.Reports;

/// <summary>
/// Puts a report's content together from what the public may see on the issue date, and nothing else: records through
/// <see cref="PublicRecords"/> (publicity periods, repair, natural-person masking already applied), listings through
/// <see cref="ListEntries.PublicForSubjectAsync"/> and commitments through <see cref="PublicCommitments"/>; items under an
/// open objection are flagged 异议中 by the same lookups as the public page (<see cref="OpenObjections"/>). The sections
/// follow the national public credit information report: basic information, administrative licences, administrative
/// penalties, lists, commitments, honours.
/// </summary>
public sealed partial class ReportComposer(
    PublicRecords records,
    ListEntries lists,
    ListTypeCatalogue listTypes,
    PublicCommitments commitments,
    CommitmentKindCatalogue commitmentKinds,
    OpenObjections objections,
    DepartmentStore departments,
    PublicationRules rules,
    ReportPurposeCatalogue purposes)
{
    public const string Issuer = "昆山市公共信用信息平台";

    public const string UnderObjection = "异议中";

    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    public async Task<ReportContent?> ComposeAsync(long subjectId, string kind, string? purposeId, ReportNumber number, CancellationToken ct = default)
    {
        var today = number.IssueDate;
        var subject = await records.SubjectAsync(subjectId, today, ct);
        if (subject is null) return null;
        var listed = await lists.PublicForSubjectAsync(subjectId, today, ct);
        var listObjections = await objections.ForListEntriesAsync(listed.Select(e => e.Id).ToList(), ct);
        var basic = new ReportSubject
        {
            Name = subject.Name,
            KindZh = KindZh(subject.Kind),
            Uscc = subject.Uscc,
            LegalRepresentative = subject.LegalRepresentative,
            Division = subject.DivisionName,
            FormerNames = subject.FormerNames,
            OtherCodes = subject.LegacyCodes.Select(c => new ReportField(SchemeZh(c.Scheme), c.Value)).ToList(),
        };
        var notes = new List<string>
        {
            $"本报告所载信息为{Date(today)}（出具日）在本平台依法依规公示的公共信用信息，由各信息提供单位依法归集，本平台按原样汇总。",
        };
        if (subject.IsNaturalPerson) notes.Add("该主体为自然人：姓名已脱敏，身份证件号码不予显示，行政处罚信息依规不予公示。");
        var rulesVersion = $"publication {rules.Version}; lists {listTypes.Version}; commitments {commitmentKinds.Version}; purposes {purposes.Version}";
        ReportItem Listing(PublicListEntry e) => ListItem(e, listObjections.Contains(e.Id));

        if (kind == ReportKinds.Purpose)
        {
            var purpose = purposes.Find(purposeId, today) ?? throw new ReportRefusedException(
                new ReportRefusal("purpose-unknown", "专项信用报告的领域不存在或尚未施行。", "The report's field is unknown or not yet in force."));
            return await PurposeReportAsync(number, basic, subject, listed, Listing, purpose, notes, rulesVersion, ct);
        }

        if (subject.Expired > 0)
            notes.Add($"该主体另有 {subject.Expired} 条信息已超过公示期限或已依法停止公示（如已完成信用修复），依规不纳入本报告。");
        if (subject.Withheld > 0)
            notes.Add(subject.IsNaturalPerson
                ? $"该主体另有 {subject.Withheld} 条信息涉及自然人，依规不予公示，不纳入本报告。"
                : $"该主体另有 {subject.Withheld} 条信息依规不予公示（如2026年4月1日起作出的轻微失信行政处罚），不纳入本报告。");

        var black = listed.Where(e => e.Kind != ListKinds.Red).ToList();
        var red = listed.Where(e => e.Kind == ListKinds.Red).ToList();
        var committed = await commitments.ForSubjectAsync(subjectId, today, ct);
        var sections = new List<ReportSection>
        {
            Section(1, "licences", "行政许可信息", subject.Licences.Select(Licence).ToList(), "经查询，未发现该主体公示中的行政许可信息。"),
            Section(2, "penalties", "行政处罚信息", subject.Penalties.Select(Penalty).ToList(), "经查询，未发现该主体公示中的行政处罚信息。"),
            Section(3, "lists", "严重失信主体名单及重点关注名单信息", black.Select(Listing).ToList(), "经查询，截至出具日，该主体未被列入公示中的严重失信主体名单、经营异常名录或重点关注名单。"),
            Section(4, "commitments", "信用承诺信息", CommitmentItems(committed, subject.CommitmentBreaches), "经查询，未发现该主体公示中的信用承诺信息。",
                committed.Count == 0 ? null : ["信用承诺由主体向受理部门作出并经公示；“履约中”指承诺已公示、尚未确认履约或认定违诺。"]),
            Section(5, "honours", "荣誉及守信激励信息", red.Select(Listing).ToList(), "经查询，未发现该主体公示中的荣誉或守信激励名单信息。"),
        };
        AddObjectionNote(notes, sections);
        return new ReportContent
        {
            Number = number.ToString(),
            IssueDate = today,
            Kind = ReportKinds.Public,
            Title = "公共信用信息报告",
            Issuer = Issuer,
            Subject = basic,
            Sections = sections,
            Notes = notes,
            RulesVersion = rulesVersion,
        };
    }

    private async Task<ReportContent> PurposeReportAsync(ReportNumber number, ReportSubject basic, PublicSubject subject, IReadOnlyList<PublicListEntry> listed,
        Func<PublicListEntry, ReportItem> listing, ReportPurpose purpose, List<string> notes, string rulesVersion, CancellationToken ct)
    {
        var (from, to) = purpose.DefaultPeriod(number.IssueDate);
        var codes = (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Code);
        var penalties = subject.Penalties
            .Where(p => p.DecisionDate >= from && p.DecisionDate <= to && purpose.Covers(codes.GetValueOrDefault(p.DepartmentId), p.Sector, p.Basis))
            .Select(Penalty).ToList();
        var listNames = purpose.ListTypes.Select(id => listTypes.Latest(id)?.NameZh ?? id).ToList();
        var inField = listed.Where(e => purpose.ListTypes.Contains(e.ListType, StringComparer.Ordinal)).ToList();
        var entries = inField.Select(listing).ToList();
        var sections = new List<ReportSection>
        {
            Section(1, "penalties", $"{purpose.NameZh}领域行政处罚信息", penalties,
                $"经查询，{Date(from)}至{Date(to)}期间，未发现该主体在{purpose.NameZh}领域的行政处罚记录。",
                [$"查询范围：上述期间内作出、出具日仍在公示期内的{purpose.NameZh}领域行政处罚决定。"]),
            listNames.Count == 0
                ? Section(2, "lists", $"{purpose.NameZh}领域名单信息", [], $"{purpose.NameZh}领域未设立适用于本报告的名单。")
                : Section(2, "lists", $"{purpose.NameZh}领域名单信息", entries,
                    $"经查询，截至{Date(to)}，该主体未被列入{string.Join("、", listNames.Select(n => $"“{n}”"))}。",
                    [$"查询范围：{string.Join("、", listNames)}。"]),
        };
        notes.Add(Conclusion(purpose, from, to, penalties.Count, inField));
        notes.Add("已超过公示期限或已依法完成信用修复的信息依规不再公示，不纳入本报告。");
        AddObjectionNote(notes, sections);
        return new ReportContent
        {
            Number = number.ToString(),
            IssueDate = number.IssueDate,
            Kind = ReportKinds.Purpose,
            Title = $"专项信用报告（{purpose.NameZh}）",
            Issuer = Issuer,
            Purpose = new ReportPurposeInfo(purpose.Id, purpose.EffectiveFrom, purpose.NameZh, purpose.ReplacesZh),
            PeriodFrom = from,
            PeriodTo = to,
            Subject = basic,
            Sections = sections,
            Notes = notes,
            RulesVersion = rulesVersion,
        };
    }

    /// <summary>
    /// The purpose report's answer, first the list entries in force (a black list is the weightiest finding), then the
    /// penalties of the period. Only a report with neither says "no violation record".
    /// </summary>
    private string Conclusion(ReportPurpose purpose, DateOnly from, DateOnly to, int penalties, IReadOnlyList<PublicListEntry> entries)
    {
        var replaces = $"本报告可替代《{purpose.ReplacesZh}》使用。";
        entries = entries.Where(e => e.Kind != ListKinds.Red).ToList();
        if (penalties == 0 && entries.Count == 0)
            return $"结论：经查询，{Date(from)}至{Date(to)}期间，未发现该主体在{purpose.NameZh}领域的违法违规记录。{replaces}";
        var found = new List<string>();
        var black = entries.Where(e => e.Kind == ListKinds.Black).ToList();
        var watch = entries.Where(e => e.Kind != ListKinds.Black).ToList();
        if (black.Count > 0)
            found.Add($"截至{Date(to)}，该主体被列入{Names(black)}（严重失信主体名单），在列入期内");
        if (watch.Count > 0)
            found.Add($"截至{Date(to)}，该主体被列入{Names(watch)}");
        found.Add(penalties == 0
            ? $"{Date(from)}至{Date(to)}期间，未发现该主体在{purpose.NameZh}领域的行政处罚记录"
            : $"{Date(from)}至{Date(to)}期间，该主体在{purpose.NameZh}领域有行政处罚记录 {penalties} 条");
        return $"结论：经查询，{string.Join("；", found)}。该主体在{purpose.NameZh}领域存在上述记录（详见上文），本报告不能证明其在该领域无违法违规记录。{replaces}";
    }

    private string Names(IEnumerable<PublicListEntry> entries) =>
        string.Join("、", entries.Select(e => $"“{listTypes.Latest(e.ListType)?.NameZh ?? e.ListType}”").Distinct());

    private static void AddObjectionNote(List<string> notes, IReadOnlyList<ReportSection> sections)
    {
        var flagged = sections.Sum(s => s.Items.Count(i => i.Flag == UnderObjection));
        if (flagged > 0)
            notes.Add($"本报告中有 {flagged} 条信息标注“{UnderObjection}”：相关主体已对该信息提出异议，信息提供单位正在核查；核查结论作出前，本报告按出具日的公示内容如实记载，核查结论以处理决定为准。");
    }

    private static ReportSection Section(int index, string id, string title, IReadOnlyList<ReportItem> items, string empty, IReadOnlyList<string>? notes = null) => new()
    {
        Id = id,
        // Section 一 is the basic information, rendered from the subject block.
        Title = $"{Numerals[index]}、{title}",
        Count = items.Count,
        Items = items,
        Empty = items.Count == 0 ? empty : null,
        Notes = notes ?? [],
    };

    public static string Date(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static string Date(DateOnly? d) => d is { } x ? Date(x) : "—";

    private static string GradeZh(string? grade) => grade switch
    {
        "minor" => "轻微",
        "general" => "一般",
        "serious" => "严重",
        _ => "—",
    };

    public static string KindZh(string kind) => kind switch
    {
        "legal_person" => "法人及非法人组织",
        "individual_business" => "个体工商户",
        "natural_person" => "自然人",
        _ => kind,
    };

    private static string SchemeZh(string scheme) => scheme switch
    {
        "org" => "组织机构代码",
        "reg" => "工商注册号",
        "tax" => "税务登记号",
        "inst" => "事业单位证书号",
        "soc" => "社会组织登记证号",
        _ => scheme,
    };
}
