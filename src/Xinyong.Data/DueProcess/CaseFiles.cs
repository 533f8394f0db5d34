using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.DueProcess;

/// <summary>The two kinds of due-process case; the value is what the tables store in case_kind.</summary>
public static class CaseKinds
{
    public const string Objection = "objection";
    public const string Repair = "repair";
}

/// <summary>An attached file, without its bytes.</summary>
public sealed record EvidenceFile
{
    public long Id { get; init; }
    public string CaseKind { get; init; } = "";
    public long CaseId { get; init; }
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public long Size { get; init; }
    public string Sha256 { get; init; } = "";
    public string UploadedBy { get; init; } = "";
    public DateTime UploadedAt { get; init; }
}

/// <summary>A notice the platform sent about a case.</summary>
public sealed record CaseNotice
{
    public long Id { get; init; }
    public string CaseKind { get; init; } = "";
    public long CaseId { get; init; }
    public string RecipientKind { get; init; } = "";
    public long? DepartmentId { get; init; }
    public string Kind { get; init; } = "";
    public string TextZh { get; init; } = "";
    public string TextEn { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}

/// <summary>One step of a case's history.</summary>
public sealed record CaseStep
{
    public long Id { get; init; }
    public string FromStatus { get; init; } = "";
    public string ToStatus { get; init; } = "";
    public string? Note { get; init; }
    public string Actor { get; init; } = "";
    public DateTime At { get; init; }
}

/// <summary>Evidence attachments and notices of objections and repair applications (shared by both kinds of case).</summary>
public sealed class CaseFiles(XinyongDatabase db, AuditLog audit, TimeProvider clock)
{
    /// <summary>Largest accepted attachment (bytes).</summary>
    public const long MaxFileBytes = 5 * 1024 * 1024;

    /// <summary>
    /// Stores one evidence file. Its type comes from its extension and must match its content (<see cref="EvidenceFileTypes.Check"/>);
    /// callers holding several files check them all first (<see cref="Check"/>) so a refused file does not leave half a set stored.
    /// </summary>
    public async Task<EvidenceFile> AttachAsync(string caseKind, long caseId, string fileName, byte[] content, Actor actor, CancellationToken ct = default)
    {
        var (name, contentType) = Check(fileName, content);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var file = await AttachAsync(conn, tx, caseKind, caseId, name, contentType, content, actor, ct);
        await tx.CommitAsync(ct);
        return file;
    }

    /// <summary>The stored name and content type of an evidence file, or a refusal naming the file (empty, too large, wrong type or content).</summary>
    public static (string Name, string ContentType) Check(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = EvidenceFileTypes.SafeName(fileName);
        if (content.Length == 0)
            throw new RefusedException("file_empty", $"文件“{name}”为空", $"\"{name}\" is empty", RefusalKind.Invalid);
        if (content.Length > MaxFileBytes)
            throw new RefusedException("file_too_large", $"文件“{name}”超过 5 MB：单个证明材料不能超过 5 MB", $"\"{name}\" is larger than 5 MB, the limit for one evidence file", RefusalKind.Invalid);
        return (name, EvidenceFileTypes.Check(name, content).ContentType);
    }

    internal async Task<EvidenceFile> AttachAsync(DbConnection conn, DbTransaction tx, string caseKind, long caseId, string name, string contentType,
        byte[] content, Actor actor, CancellationToken ct)
    {
        var table = caseKind == CaseKinds.Objection ? "objections" : caseKind == CaseKinds.Repair ? "repair_applications"
            : throw new ArgumentOutOfRangeException(nameof(caseKind));
        if (await conn.ExecuteScalarAsync<long?>($"SELECT id FROM {table} WHERE id = @caseId", new { caseId }, tx) is null)
            throw new CaseNotFoundException(caseKind, caseId);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var now = clock.GetUtcNow().UtcDateTime;
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO due_process_evidence (case_kind, case_id, file_name, content_type, size, sha256, content, uploaded_by, uploaded_at)
            VALUES (@caseKind, @caseId, @name, @contentType, @size, @sha, @content, @by, @now) RETURNING id
            """, new { caseKind, caseId, name, contentType, size = (long)content.Length, sha, content, by = actor.ToString(), now }, tx);
        await audit.WriteAsync(actor, caseKind + ".evidence", caseKind, caseId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { file = id, name, size = content.Length, sha256 = sha }, conn, tx, ct);
        return new EvidenceFile
        {
            Id = id, CaseKind = caseKind, CaseId = caseId, FileName = name, ContentType = contentType, Size = content.Length, Sha256 = sha,
            UploadedBy = actor.ToString(), UploadedAt = now,
        };
    }

    public async Task<IReadOnlyList<EvidenceFile>> EvidenceAsync(string caseKind, long caseId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<EvidenceFile>(
            "SELECT id, case_kind, case_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at FROM due_process_evidence WHERE case_kind = @caseKind AND case_id = @caseId ORDER BY id",
            new { caseKind, caseId })).ToList();
    }

    /// <summary>The file and its bytes, or null.</summary>
    public async Task<(EvidenceFile File, byte[] Content)?> ContentAsync(long evidenceId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var file = await conn.QuerySingleOrDefaultAsync<EvidenceFile>(
            "SELECT id, case_kind, case_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at FROM due_process_evidence WHERE id = @evidenceId",
            new { evidenceId });
        if (file is null) return null;
        var bytes = await conn.ExecuteScalarAsync<byte[]>("SELECT content FROM due_process_evidence WHERE id = @evidenceId", new { evidenceId });
        return (file, bytes!);
    }

    public async Task<IReadOnlyList<CaseNotice>> NoticesAsync(string? caseKind = null, long? caseId = null, long? departmentId = null, int limit = 200,
        CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<CaseNotice>(
            """
            SELECT id, case_kind, case_id, recipient_kind, department_id, kind, text_zh, text_en, created_at FROM due_process_notices
            WHERE (@caseKind IS NULL OR case_kind = @caseKind) AND (@caseId IS NULL OR case_id = @caseId) AND (@departmentId IS NULL OR department_id = @departmentId)
            ORDER BY id DESC LIMIT @limit
            """, new { caseKind, caseId, departmentId, limit })).ToList();
    }

    internal async Task NoticeAsync(DbConnection conn, DbTransaction tx, string caseKind, long caseId, string recipientKind, long? departmentId, string kind,
        string zh, string en) =>
        await conn.ExecuteAsync(
            """
            INSERT INTO due_process_notices (case_kind, case_id, recipient_kind, department_id, kind, text_zh, text_en, created_at)
            VALUES (@caseKind, @caseId, @recipientKind, @departmentId, @kind, @zh, @en, @now)
            """, new { caseKind, caseId, recipientKind, departmentId, kind, zh, en, now = clock.GetUtcNow().UtcDateTime }, tx);

    /// <summary>A public case number: prefix, filing date and a random part (the subject needs it and its phone to look the case up).</summary>
    internal static string NewReference(string prefix, DateOnly on)
    {
        const string alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        Span<char> tail = stackalloc char[6];
        for (var i = 0; i < tail.Length; i++) tail[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return $"{prefix}{on:yyyyMMdd}-{new string(tail)}";
    }
}

public sealed class CaseNotFoundException(string caseKind, long id) : Exception($"{caseKind} {id} does not exist.")
{
    public string CaseKind { get; } = caseKind;
    public long Id { get; } = id;
}
