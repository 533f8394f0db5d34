using System.Globalization;
using Xinyong.Core.Normalization;
using Xinyong.Core.Publication;
using Xinyong.Data.Publication;
using Xinyong.Web.Pages;

namespace Xinyong.Web.Public;

/// <summary>Wording of the public site: grades, rule sets, periods and remedies, in Chinese and English.</summary>
public static class PublicText
{
    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? d) => d is { } x ? Date(x) : "—";

    public static string Grade(HttpContext http, string? grade) => grade switch
    {
        "minor" => http.T("轻微", "Minor"),
        "general" => http.T("一般", "General"),
        "serious" => http.T("严重", "Serious"),
        _ => "—",
    };

    public static string Sector(HttpContext http, PublicationRules rules, string? sector) =>
        rules.Sector(sector) is { } s ? http.T(s.NameZh, s.NameEn) : "";

    public static string RuleSet(HttpContext http, PublicationRules rules, string id) =>
        rules.Find(id) is { } r ? http.T(r.TitleZh, r.TitleEn) : id;

    public static string Column(HttpContext http, string recordType) =>
        recordType == PublicationEngine.Penalty ? http.T("行政处罚", "Administrative penalties") : http.T("行政许可", "Administrative licences");

    /// <summary>"公示期限：2024-03-15 至 2027-03-14" — the last day shown, not the first day gone.</summary>
    public static string Period(HttpContext http, PublicRecord r) => r.PublishUntil is { } until
        ? http.T($"公示期：{Date(r.PublishFrom)} 至 {Date(until.AddDays(-1))}", $"Published {Date(r.PublishFrom)} to {Date(until.AddDays(-1))}")
        : http.T($"公示期：自 {Date(r.PublishFrom)} 起（许可长期有效）", $"Published from {Date(r.PublishFrom)} (no expiry)");

    /// <summary>What the subject can do about a penalty, and from when.</summary>
    public static string Remedy(HttpContext http, PublicRecord r, DateOnly today)
    {
        if (r.RecordType != PublicationEngine.Penalty) return "";
        var repair = r.RepairFrom is { } from && from > today
            ? http.T($"最短公示期满后（{Date(from)} 起）可申请信用修复。", $"Credit repair may be requested from {Date(from)}, when the minimum period has passed.")
            : http.T("最短公示期已满，当事人已纠正失信行为、履行法定义务并作出信用承诺的，可申请信用修复。",
                "The minimum period has passed: the subject may request credit repair once the failing is corrected, obligations are performed and a credit commitment is made.");
        return repair + http.T("对信息内容有异议的，可向处罚机关或本平台提出异议。", " Objections to the content may be raised with the deciding authority or this platform.");
    }

    /// <summary>The kinds of a decision as a reader writes them (警告、罚款; <see cref="ChineseText.JoinList"/>), "—" when none.</summary>
    public static string Kinds(string? kinds) => ChineseText.JoinList(kinds) is { Length: > 0 } shown ? shown : "—";

    public static string Amount(decimal? wan) => wan is { } w ? (w * 10000m).ToString("#,0.##", CultureInfo.InvariantCulture) : "—";
}
