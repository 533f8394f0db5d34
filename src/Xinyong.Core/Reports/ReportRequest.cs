namespace Xinyong.Core.Reports;

public enum ReportRequestStatus
{
    Requested,
    Issued,
    Rejected,
}

/// <summary>A refused step, with the reason in both languages.</summary>
public sealed record ReportRefusal(string Code, string Zh, string En);

public sealed class ReportRefusedException(ReportRefusal refusal) : Exception(refusal.En)
{
    public ReportRefusal Refusal { get; } = refusal;
}

/// <summary>What a subject asks for on the public site.</summary>
public sealed record ReportApplication(
    string Code,
    string Kind,
    string? PurposeId,
    string ApplicantName,
    string Contact,
    string Usage);

/// <summary>The stored state of a request.</summary>
public sealed record ReportRequestSnapshot
{
    public long Id { get; init; }
    public string Reference { get; init; } = "";
    public long SubjectId { get; init; }
    public string SubjectName { get; init; } = "";
    public string Kind { get; init; } = ReportKinds.Public;
    public string? PurposeId { get; init; }
    public string ApplicantName { get; init; } = "";
    public string Contact { get; init; } = "";
    public string Usage { get; init; } = "";
    public ReportRequestStatus Status { get; init; }
    public DateTime RequestedAt { get; init; }
    public DateTime? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? RejectReason { get; init; }
    public string? ReportNumber { get; init; }
}

/// <summary>
/// A request for a report: requested, then either issued (once, with a report number) or rejected (with a reason).
/// The entity refuses every other step.
/// </summary>
public sealed class ReportRequest
{
    private ReportRequest(ReportRequestSnapshot s) => State = s;

    public ReportRequestSnapshot State { get; private set; }

    public static ReportRequest Load(ReportRequestSnapshot snapshot) => new(snapshot);

    /// <summary>Checks an application before a subject is looked up; throws a refusal naming the field.</summary>
    public static ReportApplication Validate(ReportApplication a, ReportPurposeCatalogue purposes, DateOnly today)
    {
        static string Clean(string? s) => (s ?? "").Trim();
        var app = a with
        {
            Code = Clean(a.Code), ApplicantName = Clean(a.ApplicantName), Contact = Clean(a.Contact), Usage = Clean(a.Usage),
            Kind = Clean(a.Kind).Length == 0 ? ReportKinds.Public : Clean(a.Kind), PurposeId = string.IsNullOrWhiteSpace(a.PurposeId) ? null : a.PurposeId.Trim(),
        };
        if (app.Code.Length == 0) throw Refuse("code-required", "请填写统一社会信用代码。", "The unified social credit code is required.");
        if (app.ApplicantName.Length is 0 or > 50) throw Refuse("applicant-required", "请填写申请人姓名（50字以内）。", "The applicant's name is required (at most 50 characters).");
        if (!IsContact(app.Contact)) throw Refuse("contact-invalid", "请填写有效的手机号码或电子邮箱。", "Give a valid mobile number or e-mail address.");
        if (app.Usage.Length > 200) throw Refuse("usage-too-long", "报告用途请控制在200字以内。", "The intended use is limited to 200 characters.");
        if (!ReportKinds.IsKnown(app.Kind)) throw Refuse("kind-unknown", "报告类型不正确。", "Unknown report kind.");
        if (app.Kind == ReportKinds.Purpose && purposes.Find(app.PurposeId, today) is null)
            throw Refuse("purpose-unknown", "请选择专项信用报告的领域。", "Choose the field of the purpose-specific report.");
        if (app.Kind == ReportKinds.Public) app = app with { PurposeId = null };
        return app;
    }

    public static ReportRequest Open(ReportApplication app, long subjectId, string subjectName, string reference, DateTime at) => new(new ReportRequestSnapshot
    {
        Reference = reference, SubjectId = subjectId, SubjectName = subjectName, Kind = app.Kind, PurposeId = app.PurposeId,
        ApplicantName = app.ApplicantName, Contact = app.Contact, Usage = app.Usage, Status = ReportRequestStatus.Requested, RequestedAt = at,
    });

    public void Issue(string reportNumber, string by, DateTime at)
    {
        EnsureOpen();
        State = State with { Status = ReportRequestStatus.Issued, ReportNumber = reportNumber, DecidedBy = by, DecidedAt = at };
    }

    public void Reject(string? reason, string by, DateTime at)
    {
        EnsureOpen();
        if (string.IsNullOrWhiteSpace(reason)) throw Refuse("reason-required", "不予出具报告须说明理由。", "A rejection must give its reason.");
        State = State with { Status = ReportRequestStatus.Rejected, RejectReason = reason.Trim(), DecidedBy = by, DecidedAt = at };
    }

    private void EnsureOpen()
    {
        if (State.Status == ReportRequestStatus.Issued)
            throw Refuse("already-issued", $"该申请已出具报告（{State.ReportNumber}），不能重复处理。", $"A report ({State.ReportNumber}) has already been issued for this request.");
        if (State.Status == ReportRequestStatus.Rejected)
            throw Refuse("already-rejected", "该申请已不予出具，不能再处理。", "This request was rejected and cannot be handled again.");
    }

    private static bool IsContact(string s) =>
        (s.Length == 11 && s[0] == '1' && s.All(char.IsAsciiDigit))
        || (s.Length <= 100 && s.IndexOf('@') is > 0 and var at && at < s.Length - 3 && s.IndexOf('.', at) > at + 1 && !s.Contains(' '));

    private static ReportRefusedException Refuse(string code, string zh, string en) => new(new ReportRefusal(code, zh, en));
}
