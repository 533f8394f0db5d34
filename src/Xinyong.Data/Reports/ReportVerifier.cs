using System.Text;
using System.Text.RegularExpressions;
using Xinyong.Core.Reports;

namespace Xinyong.Data.Reports;

public enum VerificationOutcome
{
    /// <summary>Issued by the platform, and the number and content hash (or the file) are exactly as issued.</summary>
    Authentic,
    /// <summary>The number is not well formed (wrong length or check character).</summary>
    InvalidNumber,
    /// <summary>The content hash is not 64 hex digits.</summary>
    InvalidHash,
    /// <summary>No report with this number was issued.</summary>
    NotIssued,
    /// <summary>A report with this number was issued, but with a different content hash: the copy was altered.</summary>
    HashMismatch,
    /// <summary>The uploaded file names an issued report but is not the file issued: it was altered.</summary>
    FileAltered,
    /// <summary>The uploaded file is not a report of this platform.</summary>
    UnknownFile,
    /// <summary>The platform's own stored content no longer hashes to the stored hash.</summary>
    StoredRecordDamaged,
}

public sealed record ReportVerification(VerificationOutcome Outcome, string? Number = null, DateOnly? IssueDate = null, string? Title = null,
    string? SubjectName = null, string? ContentSha256 = null)
{
    public bool IsAuthentic => Outcome == VerificationOutcome.Authentic;
}

/// <summary>Answers "was this report issued by the platform, and is it unaltered?" for a number + hash or an uploaded PDF.</summary>
public sealed partial class ReportVerifier(ReportStore store)
{
    public async Task<ReportVerification> VerifyAsync(string? number, string? contentSha256, CancellationToken ct = default)
    {
        if (!ReportNumber.TryParse(number, out var parsed)) return new(VerificationOutcome.InvalidNumber);
        var hash = (contentSha256 ?? "").Trim().ToLowerInvariant();
        if (!HashPattern().IsMatch(hash)) return new(VerificationOutcome.InvalidHash, parsed.Value.ToString());
        var report = await store.GetAsync(parsed.Value.ToString(), ct);
        if (report is null) return new(VerificationOutcome.NotIssued, parsed.Value.ToString());
        if (!StoredIntact(report)) return new(VerificationOutcome.StoredRecordDamaged, report.Number);
        return !string.Equals(report.ContentSha256, hash, StringComparison.Ordinal)
            ? new(VerificationOutcome.HashMismatch, report.Number, report.IssueDate)
            : Describe(VerificationOutcome.Authentic, report);
    }

    public async Task<ReportVerification> VerifyPdfAsync(byte[] file, CancellationToken ct = default)
    {
        var report = await store.FindByPdfHashAsync(CanonicalJson.Sha256Hex(file), ct);
        if (report is not null)
            return StoredIntact(report) ? Describe(VerificationOutcome.Authentic, report) : new(VerificationOutcome.StoredRecordDamaged, report.Number);
        // Not the issued bytes. If the file still carries a report number (the PDF's title), say which report it pretends to be.
        var named = NumberInFile(file);
        if (named is not null && await store.GetAsync(named, ct) is { } claimed)
            return new(VerificationOutcome.FileAltered, claimed.Number, claimed.IssueDate);
        return new(VerificationOutcome.UnknownFile, named);
    }

    /// <summary>
    /// The first well-formed report number in the file's uncompressed text: the document title, which Chromium writes into
    /// the PDF's information dictionary as a literal or as a UTF-16BE hex string (&lt;FEFF…&gt;).
    /// </summary>
    public static string? NumberInFile(byte[] file)
    {
        var text = Encoding.Latin1.GetString(file);
        var candidates = new List<string> { text };
        foreach (Match hex in Utf16HexPattern().Matches(text))
        {
            var digits = hex.Groups[1].Value;
            if (digits.Length % 4 != 0 || digits.Length > 4000) continue;
            candidates.Add(Encoding.BigEndianUnicode.GetString(Convert.FromHexString(digits)));
        }
        foreach (var candidate in candidates)
        {
            foreach (Match m in NumberPattern().Matches(candidate))
            {
                if (ReportNumber.TryParse(m.Value, out var n)) return n.Value.ToString();
            }
        }
        return null;
    }

    [GeneratedRegex("<FEFF((?:[0-9A-Fa-f]{4})+)>")]
    private static partial Regex Utf16HexPattern();

    private static bool StoredIntact(IssuedReport r) =>
        string.Equals(CanonicalJson.Sha256Hex(CanonicalJson.Canonicalize(r.Content)), r.ContentSha256, StringComparison.Ordinal);

    private static ReportVerification Describe(VerificationOutcome outcome, IssuedReport r)
    {
        var content = r.Read();
        return new(outcome, r.Number, r.IssueDate, content.Title, content.Subject.Name, r.ContentSha256);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();

    [GeneratedRegex(@"XY-\d{8}-\d{5}-[0-9X]")]
    private static partial Regex NumberPattern();
}
