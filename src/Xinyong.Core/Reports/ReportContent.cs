namespace Xinyong.Core.Reports;

public static class ReportKinds
{
    /// <summary>公共信用信息报告: everything on public view, by the national report's sections.</summary>
    public const string Public = "public";
    /// <summary>专项信用报告: one field over a period, in place of a "no violation record" certificate.</summary>
    public const string Purpose = "purpose";

    public static bool IsKnown(string? kind) => kind is Public or Purpose;

    public static string ToChinese(string kind) => kind == Purpose ? "专项信用报告" : "公共信用信息报告";

    public static string ToEnglish(string kind) => kind == Purpose ? "Purpose-specific credit report" : "Public credit information report";
}

/// <summary>
/// Everything a report says, exactly as issued. The content hash is taken over its canonical serialisation
/// (<see cref="CanonicalJson"/>), so the HTML and PDF are renderings of this and nothing else.
/// </summary>
public sealed record ReportContent
{
    public const string CurrentFormat = "xinyong-report/1";

    public string Format { get; init; } = CurrentFormat;
    public string Number { get; init; } = "";
    public DateOnly IssueDate { get; init; }
    public string Kind { get; init; } = ReportKinds.Public;
    public string Title { get; init; } = "";
    public string Issuer { get; init; } = "";
    public ReportPurposeInfo? Purpose { get; init; }
    public DateOnly? PeriodFrom { get; init; }
    public DateOnly? PeriodTo { get; init; }
    public ReportSubject Subject { get; init; } = new();
    public IReadOnlyList<ReportSection> Sections { get; init; } = [];
    /// <summary>What the report does not show and why (publicity rules, masking, data not held).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>Versions of the rules the content was selected under, so it can be explained later.</summary>
    public string RulesVersion { get; init; } = "";
}

public sealed record ReportPurposeInfo(string Id, DateOnly EffectiveFrom, string NameZh, string ReplacesZh);

public sealed record ReportSubject
{
    public string Name { get; init; } = "";
    public string KindZh { get; init; } = "";
    public string? Uscc { get; init; }
    public string? LegalRepresentative { get; init; }
    public string? Division { get; init; }
    public IReadOnlyList<string> FormerNames { get; init; } = [];
    public IReadOnlyList<ReportField> OtherCodes { get; init; } = [];
}

/// <summary>One numbered section (一、基本信息 …). <see cref="Count"/> is the number of items, stated in the summary table.</summary>
public sealed record ReportSection
{
    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public int Count { get; init; }
    public IReadOnlyList<ReportItem> Items { get; init; } = [];
    /// <summary>Said when there are no items, e.g. "经查询，未发现……记录。"</summary>
    public string? Empty { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
}

public sealed record ReportItem(string Title, IReadOnlyList<ReportField> Fields)
{
    /// <summary>A state shown next to the title, e.g. "异议中" while an objection about the item is open; null when none.</summary>
    public string? Flag { get; init; }
}

public sealed record ReportField(string Label, string Value);
