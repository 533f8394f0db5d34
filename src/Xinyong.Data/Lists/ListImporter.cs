using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Core.Lists;
using Xinyong.Core.Normalization;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Ingestion;

namespace Xinyong.Data.Lists;

/// <summary>One bulk designation file and what became of its rows.</summary>
public sealed record ListImport
{
    public long Id { get; init; }
    public long DepartmentId { get; init; }
    public string ListType { get; init; } = default!;
    public string Channel { get; init; } = default!;
    public string FileName { get; init; } = default!;
    public string FileSha256 { get; init; } = default!;
    public long FileSize { get; init; }
    public string Actor { get; init; } = default!;
    public string Status { get; init; } = default!;
    /// <summary>Rows of the file whose outcome is committed: the checkpoint an interrupted import resumes from.</summary>
    public long RowsDone { get; init; }
    public long RowsRead { get; init; }
    public long Created { get; init; }
    public long Unchanged { get; init; }
    public long Rejected { get; init; }
    public long SubjectsCreated { get; init; }
    public string? ErrorZh { get; init; }
    public string? ErrorEn { get; init; }
    public DateTime ReceivedAt { get; init; }
    public DateTime? CompletedAt { get; init; }
}

/// <summary>A row of a designation file that was not used, with the reason in both languages and the row as sent.</summary>
public sealed record ListImportReject
{
    public long ImportId { get; init; }
    public long RowNumber { get; init; }
    public string Field { get; init; } = default!;
    public string? Value { get; init; }
    public string ReasonCode { get; init; } = default!;
    public string ReasonZh { get; init; } = default!;
    public string ReasonEn { get; init; } = default!;
    public string Raw { get; init; } = default!;
}

/// <summary>
/// Bulk designation from a department's file (CSV in UTF-8 or GB18030, .xlsx, JSON), read with the ingestion readers.
/// Each valid row is a listing the department decided in its own procedure and goes through
/// <see cref="ListStore.RecordDecidedAsync(ListDecision, Actor, CancellationToken)"/>'s rules (legal basis, red while
/// black, cross-checks); a row that fails is kept with its reason. Idempotent: the business key (default the decision
/// number) per department and type means a re-sent file creates nothing new. Resumable like record ingestion
/// (<see cref="ResumableFile"/>): rows are committed in batches with the checkpoint, and the same file sent again while
/// its import is unfinished (the process died) resumes that import after the committed rows.
/// </summary>
public sealed class ListImporter(XinyongDatabase db, ListStore store, AuditLog audit, TimeProvider clock)
{
    /// <summary>Rows per committed batch (committed together with the checkpoint).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Test hook: called after each row is read with the rows read in this run (e.g. to simulate a crash mid-file).</summary>
    public Action<long>? AfterRowRead { get; init; }
    internal static readonly JsonSerializerOptions RawJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Columns =
        "id, department_id, list_type, channel, file_name, file_sha256, file_size, actor, status, rows_done, rows_read, created, unchanged, rejected, subjects_created, error_zh, error_en, received_at, completed_at";

    /// <summary>
    /// Reads the whole file and stores its listings; the stream must be seekable. An unfinished import of the same file
    /// (same department, type and SHA-256) is resumed after its committed rows instead of being started again.
    /// </summary>
    public async Task<ListImport> ImportAsync(Stream file, string fileName, string listType, long departmentId, string channel, Actor actor,
        CancellationToken ct = default)
    {
        var department = await store.DepartmentOf(actor, departmentId, ct);
        var type = store.Types.Latest(listType) ?? throw ListStore.Refuse("unknown-list-type", "listType",
            $"未知的名单类型“{listType}”。", $"Unknown list type '{listType}'.");
        if (!type.MayBeDesignatedBy(department.Code))
        {
            throw ListStore.Refuse("department-not-designating", "department", $"{department.Name}不是“{type.NameZh}”的认定部门。",
                $"{department.Code} does not designate '{type.NameEn}'.");
        }
        if (!type.DesignatedElsewhere)
        {
            throw ListStore.Refuse("procedure-required", "listType", $"“{type.NameZh}”须在本平台逐条完成告知和异议程序，不能批量导入决定。",
                $"'{type.NameEn}' must go through notice and objection on the platform entry by entry; decisions cannot be imported in bulk.");
        }

        var (sha, size) = await ResumableFile.FingerprintAsync(file, ct);
        var import = await FindResumableAsync(department.Id, type.Id, sha, ct)
                     ?? (await GetAsync(await CreateAsync(department.Id, type.Id, channel, fileName, sha, size, actor, ct), ct))!;
        var id = import.Id;

        ITableReader reader;
        ListImportColumns columns;
        try
        {
            reader = TableSources.Open(file, fileName);
            columns = ListImportColumns.Map(reader.Header);
        }
        catch (SourceFormatException ex)
        {
            return await FailAsync(id, ex.MessageZh, ex.MessageEn, ct);
        }
        using var _ = reader;
        if (!columns.IsUsable)
        {
            var fatal = columns.Issues.First(i => i.Fatal);
            return await FailAsync(id, fatal.MessageZh, fatal.MessageEn, ct);
        }

        var today = store.Today;
        var issues = new List<RowIssue>();
        try
        {
            ResumableFile.SkipCommitted(reader, import.RowsDone);
            var more = true;
            long readThisRun = 0;
            while (more)
            {
                await using var conn = await db.OpenAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var batch = new BatchCounts();
                while (batch.Read < BatchSize && (more = reader.Read()))
                {
                    batch.Read++;
                    AfterRowRead?.Invoke(++readThisRun);
                    issues.Clear();
                    var row = columns.Parse(reader.Current, reader.RowNumber, today, issues);
                    if (row is null)
                    {
                        await RejectAsync(conn, tx, id, reader, issues[0], ct);
                        batch.Rejected++;
                        continue;
                    }
                    try
                    {
                        var (subjectId, isNew) = await SubjectAsync(conn, tx, row, id);
                        var (_, wasCreated) = await store.RecordDecidedAsync(conn, tx, new ListDecision(type.Id, subjectId, department.Id, row.Grounds,
                            row.Evidence, row.LegalBasis, row.DecisionNumber, row.DecidedOn, row.ListedFrom, row.ListedUntil, BusinessKey: row.BusinessKey),
                            department.Code, actor, ct);
                        if (isNew) batch.SubjectsCreated++;
                        if (wasCreated) batch.Created++;
                        else batch.Unchanged++;
                    }
                    catch (ListRefusedException ex)
                    {
                        var r = ex.Refusal;
                        await RejectAsync(conn, tx, id, reader, new RowIssue(r.Field, null, r.Code, r.Zh, r.En), ct);
                        batch.Rejected++;
                    }
                }
                if (batch.Read > 0) await CheckpointAsync(conn, tx, id, batch);
                await tx.CommitAsync(ct);
            }
        }
        catch (SourceFormatException ex)
        {
            // The file broke after the committed batches: they stay, the import ends as failed with the reason.
            return await FailAsync(id, ex.MessageZh, ex.MessageEn, ct);
        }

        ListImport done;
        await using (var conn = await db.OpenAsync(ct))
        {
            await conn.ExecuteAsync("UPDATE list_imports SET status = 'completed', completed_at = @now WHERE id = @id",
                new { id, now = clock.GetUtcNow().UtcDateTime });
            done = (await conn.QuerySingleAsync<ListImport>($"SELECT {Columns} FROM list_imports WHERE id = @id", new { id }));
            await audit.WriteAsync(actor, "list.import", "list_import", id.ToString(CultureInfo.InvariantCulture),
                new { listType = type.Id, department = department.Code, fileName, sha, read = done.RowsRead, created = done.Created, unchanged = done.Unchanged,
                    rejected = done.Rejected, subjectsCreated = done.SubjectsCreated, resumedFrom = import.RowsDone }, conn, ct: ct);
        }
        return done;
    }

    /// <summary>An unfinished import of the same file by the same department for the same list type, to be resumed rather than repeated.</summary>
    public async Task<ListImport?> FindResumableAsync(long departmentId, string listType, string sha256, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QueryFirstOrDefaultAsync<ListImport>(
            $"SELECT {Columns} FROM list_imports WHERE department_id = @departmentId AND list_type = @listType AND file_sha256 = @sha256 AND status = 'processing' ORDER BY id DESC",
            new { departmentId, listType, sha256 });
    }

    public async Task<ListImport?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ListImport>($"SELECT {Columns} FROM list_imports WHERE id = @id", new { id });
    }

    /// <summary>Recent imports, newest first; one department's or (null) all.</summary>
    public async Task<IReadOnlyList<ListImport>> ListAsync(long? departmentId, int limit = 50, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<ListImport>(
            $"SELECT {Columns} FROM list_imports WHERE (@departmentId IS NULL OR department_id = @departmentId) ORDER BY id DESC LIMIT @limit",
            new { departmentId, limit })).ToList();
    }

    public async Task<IReadOnlyList<ListImportReject>> RejectsAsync(long importId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<ListImportReject>(
            "SELECT import_id, row_number, field, value, reason_code, reason_zh, reason_en, raw FROM list_import_rejects WHERE import_id = @importId ORDER BY row_number",
            new { importId })).ToList();
    }

    /// <summary>The rejected rows as a spreadsheet (.xlsx) to correct and send again: row, field, value, reasons, then the row as sent.</summary>
    public async Task WriteRejectsXlsxAsync(long importId, Stream output, CancellationToken ct = default)
    {
        var (header, rows) = await RejectTableAsync(importId, ct);
        using var writer = new XlsxTableWriter(output, "rejected", header);
        foreach (var r in rows) writer.WriteRow(r);
    }

    /// <summary>The rejected rows as CSV (UTF-8 with BOM, so Excel opens the Chinese text correctly).</summary>
    public async Task WriteRejectsCsvAsync(long importId, Stream output, CancellationToken ct = default)
    {
        var (header, rows) = await RejectTableAsync(importId, ct);
        await using var w = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await w.WriteLineAsync(CsvText.Line(header));
        foreach (var r in rows) await w.WriteLineAsync(CsvText.Line(r));
    }

    private async Task<(List<string> Header, List<string?[]> Rows)> RejectTableAsync(long importId, CancellationToken ct)
    {
        string[] fixedColumns = ["行号 Row", "字段 Field", "值 Value", "原因 Reason", "Reason (English)"];
        var rejects = await RejectsAsync(importId, ct);
        var raw = rejects.Select(r => JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Raw) ?? []).ToList();
        var rawColumns = raw.SelectMany(d => d.Keys).Distinct().ToList();
        var header = fixedColumns.Concat(rawColumns).ToList();
        var rows = rejects.Select((r, i) =>
        {
            var cells = new string?[header.Count];
            cells[0] = r.RowNumber.ToString(CultureInfo.InvariantCulture);
            cells[1] = r.Field;
            cells[2] = r.Value;
            cells[3] = r.ReasonZh;
            cells[4] = r.ReasonEn;
            for (var c = 0; c < rawColumns.Count; c++) cells[fixedColumns.Length + c] = raw[i].GetValueOrDefault(rawColumns[c]);
            return cells;
        }).ToList();
        return (header, rows);
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    private async Task<long> CreateAsync(long departmentId, string listType, string channel, string fileName, string sha, long size, Actor actor,
        CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO list_imports (department_id, list_type, channel, file_name, file_sha256, file_size, actor, status, received_at)
            VALUES (@departmentId, @listType, @channel, @fileName, @sha, @size, @actor, 'processing', @now) RETURNING id
            """, new { departmentId, listType, channel, fileName, sha, size, actor = actor.ToString(), now = clock.GetUtcNow().UtcDateTime });
    }

    private sealed class BatchCounts
    {
        public long Read, Created, Unchanged, Rejected, SubjectsCreated;
    }

    /// <summary>The batch's counts and the checkpoint, in the batch's transaction: committed together with the rows' effects or not at all.</summary>
    private static Task CheckpointAsync(DbConnection conn, DbTransaction tx, long id, BatchCounts b) => conn.ExecuteAsync(
        """
        UPDATE list_imports SET rows_done = rows_done + @Read, rows_read = rows_read + @Read, created = created + @Created, unchanged = unchanged + @Unchanged,
          rejected = rejected + @Rejected, subjects_created = subjects_created + @SubjectsCreated WHERE id = @id
        """, new { id, b.Read, b.Created, b.Unchanged, b.Rejected, b.SubjectsCreated }, tx);

    private async Task<ListImport> FailAsync(long id, string zh, string en, CancellationToken ct)
    {
        await using (var conn = await db.OpenAsync(ct))
        {
            await conn.ExecuteAsync("UPDATE list_imports SET status = 'failed', error_zh = @zh, error_en = @en, completed_at = @now WHERE id = @id",
                new { id, zh, en, now = clock.GetUtcNow().UtcDateTime });
        }
        return (await GetAsync(id, ct))!;
    }

    private static async Task RejectAsync(DbConnection conn, DbTransaction tx, long importId, ITableReader reader, RowIssue issue, CancellationToken ct)
    {
        var raw = new Dictionary<string, string?>();
        for (var i = 0; i < reader.Header.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(reader.Header[i])) raw[reader.Header[i]] = reader.Current[i];
        }
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO list_import_rejects (import_id, row_number, field, value, reason_code, reason_zh, reason_en, raw)
            VALUES (@importId, @row, @Field, @Value, @Code, @MessageZh, @MessageEn, @raw)
            """, new { importId, row = reader.RowNumber, issue.Field, issue.Value, issue.Code, issue.MessageZh, issue.MessageEn,
                raw = JsonSerializer.Serialize(raw, RawJson) }, tx, cancellationToken: ct));
    }

    /// <summary>The subject a row names by code; created from the row when the platform does not know it yet.</summary>
    private async Task<(long Id, bool Created)> SubjectAsync(DbConnection conn, DbTransaction tx, ListImportRow row, long importId)
    {
        var (scheme, value) = row.CreditCode is not null ? ("uscc", row.CreditCode) : ("idcard", row.IdNumber!);
        var existing = await conn.ExecuteScalarAsync<long?>(
            "SELECT subject_id FROM subject_identifiers WHERE scheme = @scheme AND value = @value", new { scheme, value }, tx);
        if (existing is { } found) return (found, false);
        var kind = scheme == "idcard" ? "natural_person" : value.StartsWith("92", StringComparison.Ordinal) ? "individual_business" : "legal_person";
        var now = clock.GetUtcNow().UtcDateTime;
        var key = ChineseText.NameKey(row.Name);
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES (@kind, @uscc, @name, @key, @now, @now) RETURNING id",
            new { kind, uscc = scheme == "uscc" ? value : null, name = row.Name, key, now }, tx);
        await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES (@scheme, @value, @id, @source)",
            new { scheme, value, id, source = "list-import:" + importId.ToString(CultureInfo.InvariantCulture) }, tx);
        await conn.ExecuteAsync("INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@id, @name, @key, @current, @now)",
            new { id, name = row.Name, key, current = true, now }, tx);
        return (id, true);
    }
}
