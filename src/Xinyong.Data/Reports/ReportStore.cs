using System.Security.Cryptography;
using System.Text;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Reports;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Subjects;

namespace Xinyong.Data.Reports;

/// <summary>Turns a report's content into its PDF (implemented by the web host with headless Chromium).</summary>
public interface IReportRenderer
{
    Task<byte[]> RenderPdfAsync(ReportContent content, CancellationToken ct = default);
}

/// <summary>An issued report as stored: the canonical content, its hash, and the PDF exactly as issued.</summary>
public sealed record IssuedReport
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public long? RequestId { get; init; }
    public long SubjectId { get; init; }
    public string Kind { get; init; } = "";
    public string? PurposeId { get; init; }
    public DateOnly IssueDate { get; init; }
    public string Content { get; init; } = "";
    public string ContentSha256 { get; init; } = "";
    public string PdfSha256 { get; init; } = "";
    public string IssuedBy { get; init; } = "";
    public DateTime IssuedAt { get; init; }

    public ReportContent Read() => CanonicalJson.Deserialize<ReportContent>(Content);
}

/// <summary>A new request and the retrieval token that only its applicant receives.</summary>
public sealed record OpenedRequest(ReportRequestSnapshot Request, string Token);

/// <summary>
/// Requests, issuing and storage of reports. Issuing: a number from the day's sequence (gaps are possible when a
/// rendering fails, never duplicates), the content composed from public data, its canonical SHA-256, the PDF; the
/// request moves to Issued in the same transaction that stores the report, and both are audited.
/// </summary>
public sealed class ReportStore(
    XinyongDatabase db,
    AuditLog audit,
    TimeProvider clock,
    SubjectStore subjects,
    ReportComposer composer,
    ReportPurposeCatalogue purposes)
{
    private const string RequestColumns = """
        id, reference, subject_id, subject_name, kind, purpose_id, applicant_name, contact, usage, status, requested_at, decided_at,
        decided_by, reject_reason, report_number
        """;

    private const string ReportColumns = """
        id, number, request_id, subject_id, kind, purpose_id, issue_date, content, content_sha256, pdf_sha256, issued_by, issued_at
        """;

    /// <summary>The day reports are dated (China Standard Time).</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8));

    public async Task<OpenedRequest> RequestAsync(ReportApplication application, Actor actor, CancellationToken ct = default)
    {
        var app = ReportRequest.Validate(application, purposes, Today);
        var subject = await subjects.FindByCodeAsync(app.Code, ct);
        if (subject is null)
            throw Refuse("subject-not-found", "未找到该统一社会信用代码对应的主体，请核对后重新输入。", "No subject is known by that code.");
        if (subject.Kind == "natural_person")
            throw Refuse("natural-person", "自然人信用报告须由本人持有效身份证件到信用服务窗口申请，不在网上受理。",
                "Reports on natural persons are issued only in person at the credit service desk, with an identity document.");
        var token = RandomText(24);
        var request = ReportRequest.Open(app, subject.Id, subject.Name, "SQ" + Today.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + RandomText(6).ToUpperInvariant(),
            clock.GetUtcNow().UtcDateTime);
        var s = request.State;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO report_requests (reference, token_hash, subject_id, subject_name, kind, purpose_id, applicant_name, contact, usage, status, requested_at)
            VALUES (@Reference, @tokenHash, @SubjectId, @SubjectName, @Kind, @PurposeId, @ApplicantName, @Contact, @Usage, @status, @RequestedAt)
            RETURNING id
            """, new { s.Reference, tokenHash = Hash(token), s.SubjectId, s.SubjectName, s.Kind, s.PurposeId, s.ApplicantName, s.Contact, s.Usage,
                status = s.Status.ToString(), s.RequestedAt }, tx);
        await audit.WriteAsync(actor, "report.request", "report_request", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { s.Reference, s.SubjectId, s.Kind, s.PurposeId }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return new OpenedRequest(s with { Id = id }, token);
    }

    public async Task<ReportRequestSnapshot?> GetRequestAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return Snapshot(await conn.QuerySingleOrDefaultAsync<RequestRow>($"SELECT {RequestColumns} FROM report_requests WHERE id = @id", new { id }));
    }

    /// <summary>The applicant's view: the request only when the token matches.</summary>
    public async Task<ReportRequestSnapshot?> FindRequestAsync(string reference, string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token)) return null;
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RequestRow>(
            $"SELECT {RequestColumns}, token_hash FROM report_requests WHERE reference = @reference", new { reference = reference.Trim().ToUpperInvariant() });
        if (row is null || row.TokenHash is null) return null;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.TokenHash), Encoding.ASCII.GetBytes(Hash(token.Trim()))) ? Snapshot(row) : null;
    }

    /// <summary>Requests for the staff queue, oldest waiting first; decided ones newest first.</summary>
    public async Task<IReadOnlyList<ReportRequestSnapshot>> QueueAsync(ReportRequestStatus status, int limit = 200, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var order = status == ReportRequestStatus.Requested ? "requested_at, id" : "decided_at DESC, id DESC";
        return (await conn.QueryAsync<RequestRow>($"SELECT {RequestColumns} FROM report_requests WHERE status = @status ORDER BY {order} LIMIT @limit",
            new { status = status.ToString(), limit })).Select(r => Snapshot(r)!).ToList();
    }

    public async Task<IssuedReport> IssueAsync(long requestId, Actor actor, IReportRenderer renderer, CancellationToken ct = default)
    {
        var snapshot = await GetRequestAsync(requestId, ct) ?? throw Refuse("request-not-found", "申请不存在。", "No such request.");
        var request = ReportRequest.Load(snapshot);
        // Refuse before spending a number: Issue on a copy throws for decided requests.
        ReportRequest.Load(snapshot).Issue("-", actor.Name, clock.GetUtcNow().UtcDateTime);
        var number = await NextNumberAsync(ct);
        var content = await composer.ComposeAsync(snapshot.SubjectId, snapshot.Kind, snapshot.PurposeId, number, ct)
                      ?? throw Refuse("subject-not-found", "主体不存在。", "The subject no longer exists.");
        var canonical = CanonicalJson.Serialize(content);
        var hash = CanonicalJson.Sha256Hex(canonical);
        var pdf = await renderer.RenderPdfAsync(content, ct);
        var at = clock.GetUtcNow().UtcDateTime;
        request.Issue(content.Number, actor.Name, at);

        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await conn.ExecuteAsync(
            "UPDATE report_requests SET status = @issued, decided_at = @at, decided_by = @by, report_number = @number WHERE id = @id AND status = @requested",
            new { issued = nameof(ReportRequestStatus.Issued), requested = nameof(ReportRequestStatus.Requested), at, by = actor.Name, number = content.Number, id = requestId }, tx);
        if (moved != 1) throw Refuse("already-decided", "该申请已由他人处理。", "Someone else has already handled this request.");
        var report = new IssuedReport
        {
            Number = content.Number, RequestId = requestId, SubjectId = snapshot.SubjectId, Kind = content.Kind, PurposeId = content.Purpose?.Id,
            IssueDate = content.IssueDate, Content = CanonicalJson.Text(canonical), ContentSha256 = hash, PdfSha256 = CanonicalJson.Sha256Hex(pdf),
            IssuedBy = actor.Name, IssuedAt = at,
        };
        var id = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO reports (number, request_id, subject_id, kind, purpose_id, issue_date, content, content_sha256, pdf, pdf_sha256, issued_by, issued_at)
            VALUES (@Number, @RequestId, @SubjectId, @Kind, @PurposeId, @IssueDate, @Content, @ContentSha256, @pdf, @PdfSha256, @IssuedBy, @IssuedAt)
            RETURNING id
            """, new { report.Number, report.RequestId, report.SubjectId, report.Kind, report.PurposeId, report.IssueDate, report.Content, report.ContentSha256, pdf,
                report.PdfSha256, report.IssuedBy, report.IssuedAt }, tx);
        await audit.WriteAsync(actor, "report.issue", "report", content.Number,
            new { requestId, snapshot.SubjectId, content.Kind, purpose = content.Purpose?.Id, contentSha256 = hash, pdfSha256 = report.PdfSha256 }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return report with { Id = id };
    }

    public async Task<ReportRequestSnapshot> RejectAsync(long requestId, string? reason, Actor actor, CancellationToken ct = default)
    {
        var snapshot = await GetRequestAsync(requestId, ct) ?? throw Refuse("request-not-found", "申请不存在。", "No such request.");
        var request = ReportRequest.Load(snapshot);
        request.Reject(reason, actor.Name, clock.GetUtcNow().UtcDateTime);
        var s = request.State;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await conn.ExecuteAsync(
            "UPDATE report_requests SET status = @status, decided_at = @DecidedAt, decided_by = @DecidedBy, reject_reason = @RejectReason WHERE id = @Id AND status = @requested",
            new { status = s.Status.ToString(), s.DecidedAt, s.DecidedBy, s.RejectReason, s.Id, requested = nameof(ReportRequestStatus.Requested) }, tx);
        if (moved != 1) throw Refuse("already-decided", "该申请已由他人处理。", "Someone else has already handled this request.");
        await audit.WriteAsync(actor, "report.reject", "report_request", requestId.ToString(System.Globalization.CultureInfo.InvariantCulture), new { s.RejectReason }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return s;
    }

    public async Task<IssuedReport?> GetAsync(string number, CancellationToken ct = default)
    {
        if (!ReportNumber.TryParse(number, out var parsed)) return null;
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<IssuedReport>($"SELECT {ReportColumns} FROM reports WHERE number = @number", new { number = parsed.Value.ToString() });
    }

    public async Task<byte[]?> PdfAsync(string number, CancellationToken ct = default)
    {
        if (!ReportNumber.TryParse(number, out var parsed)) return null;
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<byte[]?>("SELECT pdf FROM reports WHERE number = @number", new { number = parsed.Value.ToString() });
    }

    /// <summary>Whether <paramref name="token"/> is the retrieval token of the request the report was issued for.</summary>
    public async Task<bool> TokenOpensAsync(IssuedReport report, string? token, CancellationToken ct = default)
    {
        if (report.RequestId is not { } requestId || string.IsNullOrWhiteSpace(token)) return false;
        await using var conn = await db.OpenAsync(ct);
        var stored = await conn.ExecuteScalarAsync<string?>("SELECT token_hash FROM report_requests WHERE id = @requestId", new { requestId });
        return stored is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash(token.Trim())));
    }

    public async Task<IssuedReport?> FindByPdfHashAsync(string pdfSha256, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QueryFirstOrDefaultAsync<IssuedReport>($"SELECT {ReportColumns} FROM reports WHERE pdf_sha256 = @pdfSha256", new { pdfSha256 });
    }

    /// <summary>Requests received, reports issued and requests rejected, per day / month / year of the period.</summary>
    public async Task<IReadOnlyList<ReportCount>> CountsAsync(DateOnly from, DateOnly to, ReportPeriod period, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-8);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-8);
        var requests = await conn.QueryAsync<RequestedRow>(
            "SELECT requested_at AS at, status FROM report_requests WHERE requested_at >= @start AND requested_at < @end", new { start, end });
        var issued = await conn.QueryAsync<IssuedRow>(
            "SELECT issue_date AS day, kind FROM reports WHERE issue_date >= @from AND issue_date <= @to", new { from, to });
        var buckets = new SortedDictionary<DateOnly, ReportCount>();
        ReportCount Bucket(DateOnly d)
        {
            var key = ReportCount.PeriodStart(d, period);
            return buckets.TryGetValue(key, out var c) ? c : buckets[key] = new ReportCount(key);
        }
        for (var d = ReportCount.PeriodStart(from, period); d <= to; d = ReportCount.Next(d, period)) Bucket(d);
        foreach (var r in requests)
        {
            var b = Bucket(DateOnly.FromDateTime(r.At.AddHours(8)));
            b.Requested++;
            if (r.Status == nameof(ReportRequestStatus.Rejected)) b.Rejected++;
        }
        foreach (var r in issued)
        {
            var b = Bucket(r.Day);
            if (r.Kind == ReportKinds.Purpose) b.IssuedPurpose++;
            else b.IssuedPublic++;
        }
        return buckets.Values.ToList();
    }

    private async Task<ReportNumber> NextNumberAsync(CancellationToken ct)
    {
        var day = Today;
        await using var conn = await db.OpenAsync(ct);
        var seq = await conn.ExecuteScalarAsync<int>(
            "INSERT INTO report_sequences (day, last) VALUES (@day, 1) ON CONFLICT (day) DO UPDATE SET last = report_sequences.last + 1 RETURNING last",
            new { day });
        return ReportNumber.Create(day, seq);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string RandomText(int length)
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    private static ReportRefusedException Refuse(string code, string zh, string en) => new(new ReportRefusal(code, zh, en));

    private static ReportRequestSnapshot? Snapshot(RequestRow? r) => r is null ? null : new ReportRequestSnapshot
    {
        Id = r.Id, Reference = r.Reference, SubjectId = r.SubjectId, SubjectName = r.SubjectName, Kind = r.Kind, PurposeId = r.PurposeId,
        ApplicantName = r.ApplicantName, Contact = r.Contact, Usage = r.Usage, Status = Enum.Parse<ReportRequestStatus>(r.Status), RequestedAt = r.RequestedAt,
        DecidedAt = r.DecidedAt, DecidedBy = r.DecidedBy, RejectReason = r.RejectReason, ReportNumber = r.ReportNumber,
    };

    private sealed record RequestedRow
    {
        public DateTime At { get; init; }
        public string Status { get; init; } = "";
    }

    private sealed record IssuedRow
    {
        public DateOnly Day { get; init; }
        public string Kind { get; init; } = "";
    }

    private sealed record RequestRow
    {
        public long Id { get; init; }
        public string Reference { get; init; } = "";
        public long SubjectId { get; init; }
        public string SubjectName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? PurposeId { get; init; }
        public string ApplicantName { get; init; } = "";
        public string Contact { get; init; } = "";
        public string Usage { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime RequestedAt { get; init; }
        public DateTime? DecidedAt { get; init; }
        public string? DecidedBy { get; init; }
        public string? RejectReason { get; init; }
        public string? ReportNumber { get; init; }
        public string? TokenHash { get; init; }
    }
}

public enum ReportPeriod { Day, Month, Year }

/// <summary>Counts for one period (its first day).</summary>
public sealed class ReportCount(DateOnly start)
{
    public DateOnly Start { get; } = start;
    public int Requested { get; set; }
    public int Rejected { get; set; }
    public int IssuedPublic { get; set; }
    public int IssuedPurpose { get; set; }
    public int Issued => IssuedPublic + IssuedPurpose;

    public static DateOnly PeriodStart(DateOnly d, ReportPeriod p) => p switch
    {
        ReportPeriod.Day => d,
        ReportPeriod.Month => new DateOnly(d.Year, d.Month, 1),
        _ => new DateOnly(d.Year, 1, 1),
    };

    public static DateOnly Next(DateOnly d, ReportPeriod p) => p switch
    {
        ReportPeriod.Day => d.AddDays(1),
        ReportPeriod.Month => d.AddMonths(1),
        _ => d.AddYears(1),
    };
}
