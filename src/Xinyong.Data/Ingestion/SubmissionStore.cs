using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Ingestion;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Ingestion;

public static class SubmissionStatus
{
    public const string Received = "received";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>One file (or JSON payload) a department sent, with its processing state and counts.</summary>
public sealed record Submission
{
    public long Id { get; init; }
    public long DepartmentId { get; init; }
    public string RecordType { get; init; } = default!;
    public string Channel { get; init; } = default!;
    public string FileName { get; init; } = default!;
    public string FileSha256 { get; init; } = default!;
    public long FileSize { get; init; }
    public string? StoredPath { get; init; }
    public string Actor { get; init; } = default!;
    public string Status { get; init; } = default!;
    public long RowsDone { get; init; }
    public long RowsRead { get; init; }
    public long Accepted { get; init; }
    public long Unchanged { get; init; }
    public long NewVersions { get; init; }
    public long Rejected { get; init; }
    public long SubjectsCreated { get; init; }
    public long Late { get; init; }
    public string FileIssues { get; init; } = default!;
    public string? ErrorZh { get; init; }
    public string? ErrorEn { get; init; }
    public DateTime ReceivedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? CompletedAt { get; init; }

    public bool IsFinished => Status is SubmissionStatus.Completed or SubmissionStatus.Failed;

    public IReadOnlyList<FileIssue> Issues() => JsonSerializer.Deserialize<List<FileIssue>>(FileIssues) ?? [];
}

public sealed record RejectedRow
{
    public long SubmissionId { get; init; }
    public long RowNumber { get; init; }
    public string ReasonCode { get; init; } = default!;
    public string Field { get; init; } = default!;
    public string? Value { get; init; }
    public string ReasonZh { get; init; } = default!;
    public string ReasonEn { get; init; } = default!;
    public string Errors { get; init; } = default!;
    public string Raw { get; init; } = default!;
}

public sealed class SubmissionStore(XinyongDatabase db, AuditLog audit, TimeProvider clock)
{
    private const string Columns =
        "id, department_id, record_type, channel, file_name, file_sha256, file_size, stored_path, actor, status, rows_done, rows_read, accepted, unchanged, new_versions, rejected, subjects_created, late, file_issues, error_zh, error_en, received_at, started_at, completed_at";

    public async Task<Submission> CreateAsync(long departmentId, string recordType, string channel, string fileName, string sha256, long size,
        string? storedPath, Actor actor, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (department_id, record_type, channel, file_name, file_sha256, file_size, stored_path, actor, status, received_at)
            VALUES (@departmentId, @recordType, @channel, @fileName, @sha256, @size, @storedPath, @actor, @status, @now) RETURNING id
            """,
            new { departmentId, recordType, channel, fileName, sha256, size, storedPath, actor = actor.ToString(), status = SubmissionStatus.Received, now = clock.GetUtcNow().UtcDateTime });
        await audit.WriteAsync(actor, "submission.create", "submission", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { departmentId, recordType, channel, fileName, sha256, size }, conn, ct: ct);
        return await conn.QuerySingleAsync<Submission>($"SELECT {Columns} FROM submissions WHERE id = @id", new { id });
    }

    /// <summary>An interrupted submission of the same file by the same department, to be resumed rather than repeated.</summary>
    public async Task<Submission?> FindResumableAsync(long departmentId, string recordType, string sha256, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QueryFirstOrDefaultAsync<Submission>(
            $"SELECT {Columns} FROM submissions WHERE department_id = @departmentId AND record_type = @recordType AND file_sha256 = @sha256 AND status IN ('received', 'processing') ORDER BY id DESC",
            new { departmentId, recordType, sha256 });
    }

    public async Task<Submission?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Submission>($"SELECT {Columns} FROM submissions WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<Submission>> ListAsync(long? departmentId, int limit = 100, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<Submission>(
            $"SELECT {Columns} FROM submissions WHERE (@departmentId IS NULL OR department_id = @departmentId) ORDER BY id DESC LIMIT @limit",
            new { departmentId, limit })).ToList();
    }

    public async Task<IReadOnlyList<Submission>> ListUnfinishedAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<Submission>($"SELECT {Columns} FROM submissions WHERE status IN ('received', 'processing') ORDER BY id")).ToList();
    }

    public async Task<IReadOnlyList<RejectedRow>> RejectsAsync(long submissionId, int offset = 0, int limit = int.MaxValue, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<RejectedRow>(
            "SELECT submission_id, row_number, reason_code, field, value, reason_zh, reason_en, errors, raw FROM rejected_rows WHERE submission_id = @submissionId ORDER BY row_number LIMIT @limit OFFSET @offset",
            new { submissionId, offset, limit = (long)limit })).ToList();
    }

    public async Task<IReadOnlyList<(string Code, long Count)>> RejectReasonsAsync(long submissionId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<(string, long)>(
            "SELECT reason_code, COUNT(*) FROM rejected_rows WHERE submission_id = @submissionId GROUP BY reason_code ORDER BY COUNT(*) DESC",
            new { submissionId })).ToList();
    }

    internal async Task MarkFailedAsync(long id, string zh, string en, IReadOnlyList<FileIssue> issues, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync(
            "UPDATE submissions SET status = 'failed', error_zh = @zh, error_en = @en, file_issues = @issues, completed_at = @now WHERE id = @id",
            new { id, zh, en, issues = JsonSerializer.Serialize(issues, IngestionRunner.StoredJson), now = clock.GetUtcNow().UtcDateTime });
    }
}
