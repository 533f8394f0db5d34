namespace Xinyong.Core.Measures;

/// <summary>Rewards follow red lists (守信激励); punishments follow black and watch lists (失信惩戒).</summary>
public enum MeasureKind
{
    Reward = 1,
    Punishment = 2,
}

public static class MeasureKinds
{
    public const string Reward = "reward";
    public const string Punishment = "punishment";

    public static string ToCode(this MeasureKind kind) => kind == MeasureKind.Reward ? Reward : Punishment;

    public static MeasureKind? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        Reward or "奖励" or "激励" or "守信激励" => MeasureKind.Reward,
        Punishment or "惩戒" or "失信惩戒" => MeasureKind.Punishment,
        _ => null,
    };

    public static string ToChinese(this MeasureKind kind) => kind == MeasureKind.Reward ? "守信激励" : "失信惩戒";

    public static string ToEnglish(this MeasureKind kind) => kind == MeasureKind.Reward ? "Reward" : "Punishment";
}

/// <summary>A term of a fixed vocabulary: stable code, Chinese and English label.</summary>
public sealed record Term(string Code, string Zh, string En);

/// <summary>
/// The kinds of matter a department handles for a subject, for which it asks the platform which measures apply.
/// A fixed vocabulary (like a topic list): catalogue rows and department queries use the codes.
/// </summary>
public static class MatterKinds
{
    public static readonly IReadOnlyList<Term> All =
    [
        new("administrative-approval", "行政审批（许可）", "Administrative approval (licensing)"),
        new("subsidy", "财政资金补助与政策扶持", "Public funds, subsidies and policy support"),
        new("procurement", "政府采购", "Government procurement"),
        new("bidding", "招标投标", "Tendering and bidding"),
        new("awards", "评先评优与表彰奖励", "Awards and honours"),
        new("property-transaction", "不动产登记与交易", "Real-estate registration and transactions"),
        new("land-supply", "国有土地使用权出让", "Grants of state land use rights"),
        new("qualification", "资质资格认定与管理", "Qualifications and certification"),
        new("public-office", "担任职务与任职资格", "Holding office (directors, officials)"),
        new("financing", "融资信贷与保险", "Credit, financing and insurance"),
        new("tax-service", "纳税服务与发票管理", "Tax services and invoices"),
        new("customs", "海关通关与监管", "Customs clearance and supervision"),
        new("supervision", "日常监管与检查频次", "Routine supervision and inspection frequency"),
        new("public-service", "公共服务办理", "Public services"),
        new("high-consumption", "高消费与非生产经营性消费", "High consumption and non-business spending"),
    ];

    private static readonly Dictionary<string, Term> ByText = All
        .SelectMany(t => new[] { (t.Code, t), (t.Zh, t), (t.En.ToLowerInvariant(), t) })
        .ToDictionary(p => p.Item1, p => p.t, StringComparer.Ordinal);

    public static bool IsKnown(string code) => All.Any(t => t.Code == code);

    /// <summary>A code, a Chinese label or an English label (any case) to the term; null when unknown.</summary>
    public static Term? Find(string? text)
    {
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        return ByText.GetValueOrDefault(s) ?? ByText.GetValueOrDefault(s.ToLowerInvariant());
    }
}

/// <summary>
/// People a measure may reach through a listed entity (法定代表人、主要负责人、实际控制人). A subject relation records that a
/// natural person holds one of these roles in an entity.
/// </summary>
public static class SubjectRoles
{
    public const string LegalRepresentative = "legal-representative";
    public const string Principal = "principal";
    public const string ActualController = "actual-controller";

    public static readonly IReadOnlyList<Term> All =
    [
        new(LegalRepresentative, "法定代表人", "Legal representative"),
        new(Principal, "主要负责人", "Principal"),
        new(ActualController, "实际控制人", "Actual controller"),
    ];

    public static Term? Find(string? text)
    {
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        return All.FirstOrDefault(t => t.Code == s || t.Zh == s || string.Equals(t.En, s, StringComparison.OrdinalIgnoreCase));
    }

    public static string ToChinese(string code) => All.FirstOrDefault(t => t.Code == code)?.Zh ?? code;
}

/// <summary>The four natures of measures named by the 2020 epidemic notice (seed 001): 行政性、行业性、市场性、社会性.</summary>
public static class MeasureNatures
{
    public static readonly IReadOnlyList<Term> All =
    [
        new("administrative", "行政性", "Administrative"),
        new("industry", "行业性", "Industry"),
        new("market", "市场性", "Market"),
        new("social", "社会性", "Social"),
    ];

    public static Term? Find(string? text)
    {
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        return All.FirstOrDefault(t => t.Code == s || t.Zh == s || string.Equals(t.En, s, StringComparison.OrdinalIgnoreCase));
    }
}
