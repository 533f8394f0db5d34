using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Xinyong.Core.Auditing;
using Xinyong.Core.Checks;
using Xinyong.Data.Database;

namespace Xinyong.Data.Checks;

/// <summary>A check run: what was checked, for which matter, by whom, under which rules and against which data.</summary>
public sealed record CheckRun
{
    public long Id { get; init; }
    public string PurposeId { get; init; } = "";
    public int PurposeVersion { get; init; }
    public string RuleHash { get; init; } = "";
    public DateOnly CheckDate { get; init; }
    public string Mode { get; init; } = "";
    public string? Reference { get; init; }
    public string? InputName { get; init; }
    public string? InputSha256 { get; init; }
    public string? InputPath { get; init; }
    public string? DataVersion { get; init; }
    public string Status { get; init; } = "";
    public string? Phase { get; init; }
    public int RowsTotal { get; init; }
    public int RowsDone { get; init; }
    public int Passed { get; init; }
    public int Failed { get; init; }
    public int Review { get; init; }
    public int NotFound { get; init; }
    public int Ambiguous { get; init; }
    public string? Options { get; init; }
    public string Actor { get; init; } = "";
    public string ActorKind { get; init; } = "";
    public long? DepartmentId { get; init; }
    public long? RerunOf { get; init; }
    public string? ErrorZh { get; init; }
    public string? ErrorEn { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? CompletedAt { get; init; }
    public long? ElapsedMs { get; init; }

    public bool Finished => Status is CheckRunStatus.Done or CheckRunStatus.Failed;
}

public static class CheckRunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>One row's answer as stored: the input, the subject matched and how, the outcome and every reason.</summary>
public sealed record CheckRowResult(
    int Row,
    string? InputCode,
    string? InputName,
    long? SubjectId,
    string? SubjectName,
    string? Uscc,
    string MatchMethod,
    string? MatchScheme,
    double? MatchScore,
    string? MatchNote,
    CheckOutcome Outcome,
    IReadOnlyList<CheckReason> Reasons,
    long Id = 0);

/// <summary>Storage of runs and their per-row results (check_runs, check_results).</summary>
public sealed class CheckRuns(XinyongDatabase db, TimeProvider clock)
{
    private const string Columns = """
        id, purpose_id, purpose_version, rule_hash, check_date, mode, reference, input_name, input_sha256, input_path, data_version, status, phase,
        rows_total, rows_done, passed, failed, review, not_found, ambiguous, options, actor, actor_kind, department_id, rerun_of, error_zh, error_en,
        created_at, started_at, completed_at, elapsed_ms
        """;

    internal static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<long> CreateAsync(CheckPurpose purpose, DateOnly checkDate, string mode, string? reference, string? inputName, string? inputSha256,
        string? inputPath, int rowsTotal, CheckMatchOptions options, Actor actor, long? rerunOf, DbConnection? conn = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var own = conn is null;
        conn ??= await db.OpenAsync(ct);
        try
        {
            return await conn.ExecuteScalarAsync<long>(
                """
                INSERT INTO check_runs (purpose_id, purpose_version, rule_hash, check_date, mode, reference, input_name, input_sha256, input_path, status,
                    rows_total, options, actor, actor_kind, department_id, rerun_of, created_at)
                VALUES (@Id, @Version, @Hash, @checkDate, @mode, @reference, @inputName, @inputSha256, @inputPath, @status,
                    @rowsTotal, @options, @actor, @kind, @dept, @rerunOf, @now) RETURNING id
                """,
                new
                {
                    purpose.Id, purpose.Version, purpose.Hash, checkDate, mode, reference, inputName, inputSha256, inputPath, status = CheckRunStatus.Queued,
                    rowsTotal, options = JsonSerializer.Serialize(options, Json), actor = actor.Name, kind = actor.KindCode, dept = actor.DepartmentId, rerunOf,
                    now = clock.GetUtcNow().UtcDateTime,
                }, tx);
        }
        finally
        {
            if (own) await conn.DisposeAsync();
        }
    }

    public async Task<CheckRun?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<CheckRun>($"SELECT {Columns} FROM check_runs WHERE id = @id", new { id });
    }

    /// <summary>Newest first; a department sees its own runs, the credit office (null) all.</summary>
    public async Task<IReadOnlyList<CheckRun>> RecentAsync(long? departmentId, int limit = 50, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<CheckRun>(
            $"SELECT {Columns} FROM check_runs WHERE (@departmentId IS NULL OR department_id = @departmentId) ORDER BY id DESC LIMIT @limit",
            new { departmentId, limit })).ToList();
    }

    public async Task<IReadOnlyList<CheckRun>> UnfinishedAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<CheckRun>($"SELECT {Columns} FROM check_runs WHERE status IN ('queued', 'running') AND mode = 'batch' ORDER BY id")).ToList();
    }

    public async Task StartAsync(long id, int rowsTotal, string dataVersion, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE check_runs SET status = 'running', phase = 'match', rows_total = @rowsTotal, rows_done = 0, data_version = @dataVersion, started_at = @now WHERE id = @id",
            new { id, rowsTotal, dataVersion, now = clock.GetUtcNow().UtcDateTime });
    }

    public async Task ProgressAsync(long id, string phase, int rowsDone, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE check_runs SET phase = @phase, rows_done = @rowsDone WHERE id = @id", new { id, phase, rowsDone });
    }

    public async Task FailAsync(long id, string zh, string en, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE check_runs SET status = 'failed', error_zh = @zh, error_en = @en, completed_at = @now WHERE id = @id",
            new { id, zh, en, now = clock.GetUtcNow().UtcDateTime });
    }

    /// <summary>Stores every row's answer and the counts, and marks the run done, in one transaction.</summary>
    public async Task CompleteAsync(long id, IReadOnlyList<CheckRowResult> results, long elapsedMs, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync("DELETE FROM check_results WHERE run_id = @id", new { id }, tx);
        if (conn is NpgsqlConnection pg) await CopyAsync(pg, id, results, ct);
        else Insert((SqliteConnection)conn, id, results, ct);
        int Count(CheckOutcome o) => results.Count(r => r.Outcome == o);
        await conn.ExecuteAsync(
            """
            UPDATE check_runs SET status = 'done', phase = NULL, rows_total = @total, rows_done = @total, passed = @passed, failed = @failed, review = @review,
                not_found = @notFound, ambiguous = @ambiguous, completed_at = @now, elapsed_ms = @elapsedMs WHERE id = @id
            """,
            new
            {
                id, total = results.Count, passed = Count(CheckOutcome.Pass), failed = Count(CheckOutcome.Fail), review = Count(CheckOutcome.NeedsReview),
                notFound = Count(CheckOutcome.NotFound), ambiguous = Count(CheckOutcome.Ambiguous), now = clock.GetUtcNow().UtcDateTime, elapsedMs,
            }, tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>SQLite: one statement prepared on the native handle and bound by position (see <see cref="SqliteStatement"/>).</summary>
    private static void Insert(SqliteConnection conn, long runId, IReadOnlyList<CheckRowResult> results, CancellationToken ct)
    {
        using var insert = new SqliteStatement(conn,
            "INSERT INTO check_results (run_id, row_number, input_code, input_name, subject_id, subject_name, uscc, match_method, match_scheme, match_score, match_note, outcome, reasons) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
        for (var n = 0; n < results.Count; n++)
        {
            if (n % 1024 == 0) ct.ThrowIfCancellationRequested();
            var r = results[n];
            insert.Integer(1, runId);
            insert.Integer(2, r.Row);
            insert.Text(3, r.InputCode);
            insert.Text(4, r.InputName);
            if (r.SubjectId is { } subject) insert.Integer(5, subject);
            else insert.Null(5);
            insert.Text(6, r.SubjectName);
            insert.Text(7, r.Uscc);
            insert.Text(8, r.MatchMethod);
            insert.Text(9, r.MatchScheme);
            insert.Real(10, r.MatchScore);
            insert.Text(11, r.MatchNote);
            insert.Text(12, r.Outcome.ToCode());
            insert.Text(13, ReasonsJson(r));
            insert.Execute();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection conn, long runId, IReadOnlyList<CheckRowResult> results, CancellationToken ct)
    {
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY check_results (run_id, row_number, input_code, input_name, subject_id, subject_name, uscc, match_method, match_scheme, match_score, match_note, outcome, reasons) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in results)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync((long)r.Row, NpgsqlDbType.Bigint, ct);
            await Nullable(w, r.InputCode, ct);
            await Nullable(w, r.InputName, ct);
            if (r.SubjectId is { } s) await w.WriteAsync(s, NpgsqlDbType.Bigint, ct); else await w.WriteNullAsync(ct);
            await Nullable(w, r.SubjectName, ct);
            await Nullable(w, r.Uscc, ct);
            await w.WriteAsync(r.MatchMethod, NpgsqlDbType.Text, ct);
            await Nullable(w, r.MatchScheme, ct);
            if (r.MatchScore is { } sc) await w.WriteAsync(sc, NpgsqlDbType.Double, ct); else await w.WriteNullAsync(ct);
            await Nullable(w, r.MatchNote, ct);
            await w.WriteAsync(r.Outcome.ToCode(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(ReasonsJson(r), NpgsqlDbType.Text, ct);
        }
        await w.CompleteAsync(ct);
    }

    /// <summary>The stored form of a row's reasons: a JSON array ("[]" for the many rows that have none).</summary>
    private static string ReasonsJson(CheckRowResult r) => r.Reasons.Count == 0 ? "[]" : JsonSerializer.Serialize(r.Reasons, Json);

    private static Task Nullable(NpgsqlBinaryImporter w, string? v, CancellationToken ct) =>
        v is null ? w.WriteNullAsync(ct) : w.WriteAsync(v, NpgsqlDbType.Text, ct);

    private sealed record ResultRow
    {
        public long Id { get; init; }
        public long RowNumber { get; init; }
        public string? InputCode { get; init; }
        public string? InputName { get; init; }
        public long? SubjectId { get; init; }
        public string? SubjectName { get; init; }
        public string? Uscc { get; init; }
        public string MatchMethod { get; init; } = "";
        public string? MatchScheme { get; init; }
        public double? MatchScore { get; init; }
        public string? MatchNote { get; init; }
        public string Outcome { get; init; } = "";
        public string Reasons { get; init; } = "[]";
    }

    /// <summary>The stored answers of a run in row order (optionally only some outcomes, one page).</summary>
    public async Task<IReadOnlyList<CheckRowResult>> ResultsAsync(long runId, string? outcome = null, int skip = 0, int take = int.MaxValue, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<ResultRow>(new CommandDefinition(
            """
            SELECT id, row_number, input_code, input_name, subject_id, subject_name, uscc, match_method, match_scheme, match_score, match_note, outcome, reasons
            FROM check_results WHERE run_id = @runId AND (@outcome IS NULL OR outcome = @outcome) ORDER BY row_number LIMIT @take OFFSET @skip
            """, new { runId, outcome, take = Math.Min(take, 1_000_000), skip }, cancellationToken: ct));
        return rows.Select(r => new CheckRowResult((int)r.RowNumber, r.InputCode, r.InputName, r.SubjectId, r.SubjectName, r.Uscc, r.MatchMethod, r.MatchScheme,
            r.MatchScore, r.MatchNote, CheckOutcomes.FromCode(r.Outcome), JsonSerializer.Deserialize<List<CheckReason>>(r.Reasons, Json) ?? [], r.Id)).ToList();
    }
}
