using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Checks;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Checks;
using Xinyong.Web.Auth;
using Xinyong.Web.Checks;
using Xinyong.Web.Ingestion;

namespace Xinyong.Web.Api;

/// <summary>Credit checks (信用核查): purposes, a single check, batch checks with progress and result files.</summary>
internal static class ChecksApi
{
    public sealed record PurposeDto(string Id, int Version, string RuleVersion, string NameZh, string NameEn, string BasisZh, string BasisEn,
        IReadOnlyList<RuleDto> Rules, string Definition, string CreatedBy, DateTime CreatedAt);

    public sealed record RuleDto(string Id, string Effect, string DescriptionZh, string DescriptionEn);

    public sealed record SingleCheckRequest(string Purpose, string? Code, string? Name, string? Reference);

    public sealed record ReasonDto(string RuleId, string Effect, string EvidenceKind, long? EvidenceId, string TextZh, string TextEn, bool UnderObjection);

    public sealed record ResultDto(long Id, int Row, string? InputCode, string? InputName, long? SubjectId, string? SubjectName, string? Uscc, string MatchMethod,
        string? MatchScheme, double? MatchScore, string? MatchNote, string Outcome, string OutcomeZh, IReadOnlyList<ReasonDto> Reasons);

    public sealed record RunDto(long Id, string Purpose, int PurposeVersion, string RuleHash, DateOnly CheckDate, string Mode, string? Reference, string? InputName,
        string Status, string? Phase, int RowsTotal, int RowsDone, int Passed, int Failed, int Review, int NotFound, int Ambiguous, string? DataVersion,
        string Actor, DateTime CreatedAt, DateTime? CompletedAt, long? ElapsedMs, string? ErrorZh, string? ErrorEn, long? RerunOf);

    public sealed record SingleCheckDto(RunDto Run, ResultDto Result);

    public sealed record PurposeEdit(string Definition, string? Note);

    public static void MapChecksApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/checks").WithTags("checks").RequireAuthorization();
        g.MapGet("/purposes", Purposes).WithSummary("Check purposes in force (latest version of each)");
        g.MapGet("/purposes/{id}/versions", Versions).WithSummary("Every version of a purpose, newest first").ProducesProblem(404);
        g.MapPut("/purposes/{id}", SavePurpose).WithSummary("Store an edited purpose as its next version (credit office administrators)").ProducesProblem(400).ProducesProblem(403);
        g.MapPost("/", Single).WithSummary("Check one subject by code and/or name for a purpose").Produces<SingleCheckDto>().ProducesProblem(400);
        g.MapPost("/batches", Batch).DisableAntiforgery()
            .WithSummary("Upload a CSV or .xlsx (multipart field 'file', up to 100,000 rows, code and/or name columns); ?purpose=&reference=&wait=")
            .Produces<RunDto>(StatusCodes.Status202Accepted).ProducesProblem(400);
        g.MapGet("/runs", Runs).WithSummary("Recent runs (own department for officers)");
        g.MapGet("/runs/{id:long}", Run).WithSummary("A run with its progress and counts").ProducesProblem(404);
        g.MapGet("/runs/{id:long}/results", RunResults).WithSummary("Per-row results: JSON (?outcome=&offset=&limit=), or ?format=csv|xlsx for the result file").ProducesProblem(404);
        g.MapPost("/runs/{id:long}/rerun", Rerun).WithSummary("Run the same inputs again under the same rule version and check date; compare").ProducesProblem(404);
    }

    private static async Task<IResult> Purposes(CheckPurposeStore store, CancellationToken ct) =>
        Results.Ok((await store.ListCurrentAsync(ct)).Select(ToDto));

    private static async Task<IResult> Versions(HttpContext http, string id, CheckPurposeStore store, CancellationToken ct)
    {
        var all = await store.HistoryAsync(id, ct);
        return all.Count == 0 ? Problems.NotFound(http, $"核查用途 {id} 不存在", $"Check purpose {id} does not exist") : Results.Ok(all.Select(ToDto));
    }

    private static async Task<IResult> SavePurpose(HttpContext http, string id, PurposeEdit edit, CheckPurposeStore store, CancellationToken ct)
    {
        if (!http.User.IsAdmin()) return Problems.Create(http, 403, "forbidden", "只有信用办管理员可以修改核查用途", "Only credit office administrators may edit check purposes");
        try
        {
            var parsed = System.Text.Json.JsonDocument.Parse(edit.Definition ?? "");
            if (parsed.RootElement.TryGetProperty("id", out var pid) && pid.GetString() != id)
                return Problems.Create(http, 400, "id_mismatch", "定义中的 id 与地址中的用途不一致", "The definition's id differs from the purpose in the URL");
            return Results.Ok(ToDto(await store.SaveAsync(edit.Definition!, edit.Note, http.User.ToActor(), ct)));
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Problems.Create(http, 400, "invalid_purpose", $"JSON 格式错误：{ex.Message}", $"malformed JSON: {ex.Message}");
        }
        catch (CheckPurposeException ex)
        {
            return Problems.Create(http, 400, "invalid_purpose", ex.MessageZh, ex.MessageEn);
        }
    }

    private static async Task<IResult> Single(HttpContext http, SingleCheckRequest request, CheckRunner runner, CheckPurposeStore purposes, IConfiguration config, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Code) && string.IsNullOrWhiteSpace(request.Name))
            return Problems.Create(http, 400, "subject_required", "请提供统一社会信用代码或名称", "Give a credit code or a name");
        if (await purposes.CurrentAsync(request.Purpose ?? "", ct) is null) return UnknownPurpose(http, request.Purpose);
        var (run, result) = await runner.CheckOneAsync(request.Purpose!, request.Code, request.Name, request.Reference, http.User.ToActor(), MatchOptions(config), ct: ct);
        return Results.Ok(new SingleCheckDto(ToDto(run), ToDto(result)));
    }

    private static async Task<IResult> Batch(HttpContext http, [FromQuery] string? purpose, [FromQuery] string? reference, [FromQuery] bool? wait,
        CheckRunner runner, CheckPurposeStore purposes, CheckRuns runs, UploadStorage uploads, CheckQueue queue, IConfiguration config, CancellationToken ct)
    {
        if (await purposes.CurrentAsync(purpose ?? "", ct) is null) return UnknownPurpose(http, purpose);
        if (!http.Request.HasFormContentType) return Problems.Create(http, 400, "file_required", "请在表单字段 file 中上传文件", "Upload the file in the form field 'file'");
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files["file"] ?? form.Files.FirstOrDefault();
        if (file is null || file.Length == 0) return Problems.Create(http, 400, "file_required", "请在表单字段 file 中上传文件", "Upload the file in the form field 'file'");
        var name = Path.GetFileName(file.FileName);
        string path;
        await using (var s = file.OpenReadStream()) path = await uploads.SaveAsync(s, name, ct);
        int rows;
        string sha;
        try
        {
            var (read, hash) = CheckInputFile.ReadFile(path, name);
            (rows, sha) = (read.Count, hash);
        }
        catch (SourceFormatException ex)
        {
            File.Delete(path);
            return Problems.Create(http, 400, "invalid_file", ex.MessageZh, ex.MessageEn);
        }
        var run = await runner.CreateBatchAsync(purpose!, reference ?? form["reference"].FirstOrDefault(), name, sha, path, rows, MatchOptions(config), http.User.ToActor(), ct: ct);
        if (wait == true)
        {
            await queue.EnqueueAndWaitAsync(run.Id, ct);
            return Results.Ok(ToDto((await runs.GetAsync(run.Id, ct))!));
        }
        queue.Enqueue(run.Id);
        return Results.Accepted($"/api/v1/checks/runs/{run.Id}", ToDto(run));
    }

    private static async Task<IResult> Runs(HttpContext http, CheckRuns runs, [FromQuery] int? limit, CancellationToken ct) =>
        Results.Ok((await runs.RecentAsync(http.User.IsAdmin() ? null : http.User.DepartmentId() ?? -1, Math.Clamp(limit ?? 50, 1, 500), ct)).Select(ToDto));

    private static async Task<IResult> Run(HttpContext http, long id, CheckRuns runs, CancellationToken ct)
    {
        var run = await runs.GetAsync(id, ct);
        if (run is null) return RunNotFound(http, id);
        return CanSee(http, run) ? Results.Ok(ToDto(run)) : Problems.Forbidden(http);
    }

    private static async Task<IResult> RunResults(HttpContext http, long id, [FromQuery] string? format, [FromQuery] string? outcome, [FromQuery] int? offset,
        [FromQuery] int? limit, CheckRuns runs, CancellationToken ct)
    {
        var run = await runs.GetAsync(id, ct);
        if (run is null) return RunNotFound(http, id);
        if (!CanSee(http, run)) return Problems.Forbidden(http);
        if (run.Status != CheckRunStatus.Done && format is not null)
            return Problems.Create(http, 409, "not_finished", "核查尚未完成，请稍后下载结果", "The check has not finished; download the result later");
        switch (format?.ToLowerInvariant())
        {
            case "xlsx":
            {
                var ms = new MemoryStream();
                CheckResultFile.WriteXlsx(await runs.ResultsAsync(id, ct: ct), ms);
                ms.Position = 0;
                return Results.File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"check-{id}-result.xlsx");
            }
            case "csv":
            {
                var ms = new MemoryStream();
                await CheckResultFile.WriteCsvAsync(await runs.ResultsAsync(id, ct: ct), ms, ct);
                ms.Position = 0;
                return Results.File(ms, "text/csv; charset=utf-8", $"check-{id}-result.csv");
            }
            default:
                return Results.Ok((await runs.ResultsAsync(id, outcome, Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 1000, 1, 10_000), ct)).Select(ToDto));
        }
    }

    private static async Task<IResult> Rerun(HttpContext http, long id, CheckRuns runs, CheckRunner runner, CancellationToken ct)
    {
        var run = await runs.GetAsync(id, ct);
        if (run is null) return RunNotFound(http, id);
        if (!CanSee(http, run)) return Problems.Forbidden(http);
        if (run.Status != CheckRunStatus.Done) return Problems.Create(http, 409, "not_finished", "核查尚未完成，不能重新运行", "The check has not finished; it cannot be re-run");
        var c = await runner.RerunAsync(id, http.User.ToActor(), ct);
        return Results.Ok(new { run = ToDto(c.Rerun), c.SameDataVersion, c.ChangedRows, changedRowNumbers = c.ChangedRowNumbers.Take(1000) });
    }

    private static bool CanSee(HttpContext http, CheckRun run) => http.User.IsAdmin() || (run.DepartmentId is { } d && http.User.DepartmentId() == d)
        || (run.DepartmentId is null && run.Actor == http.User.ToActor().Name);

    private static CheckMatchOptions MatchOptions(IConfiguration config) => new()
    {
        AcceptScore = config.GetValue("Checks:NameAcceptScore", CheckMatchOptions.Default.AcceptScore),
        AmbiguityMargin = config.GetValue("Checks:NameAmbiguityMargin", CheckMatchOptions.Default.AmbiguityMargin),
        NameMismatchScore = config.GetValue("Checks:NameMismatchScore", CheckMatchOptions.Default.NameMismatchScore),
    };

    private static IResult UnknownPurpose(HttpContext http, string? purpose) =>
        Problems.Create(http, 400, "unknown_purpose", $"未知的核查用途“{purpose}”，请先查询 /api/v1/checks/purposes", $"Unknown check purpose '{purpose}'; see /api/v1/checks/purposes");

    private static IResult RunNotFound(HttpContext http, long id) => Problems.NotFound(http, $"核查 {id} 不存在", $"Check run {id} does not exist");

    internal static PurposeDto ToDto(StoredPurpose s) => new(s.Purpose.Id, s.Purpose.Version, s.Purpose.RuleVersion, s.Purpose.NameZh, s.Purpose.NameEn,
        s.Purpose.BasisZh, s.Purpose.BasisEn, s.Purpose.Rules.Select(r => new RuleDto(r.Id, r.Effect == RuleEffect.Fail ? "fail" : "review", r.DescriptionZh, r.DescriptionEn)).ToList(),
        s.Purpose.Definition, s.CreatedBy, s.CreatedAt);

    internal static RunDto ToDto(CheckRun r) => new(r.Id, r.PurposeId, r.PurposeVersion, r.RuleHash, r.CheckDate, r.Mode, r.Reference, r.InputName, r.Status, r.Phase,
        r.RowsTotal, r.RowsDone, r.Passed, r.Failed, r.Review, r.NotFound, r.Ambiguous, r.DataVersion, r.Actor, r.CreatedAt, r.CompletedAt, r.ElapsedMs, r.ErrorZh, r.ErrorEn, r.RerunOf);

    internal static ResultDto ToDto(CheckRowResult r) => new(r.Id, r.Row, r.InputCode, r.InputName, r.SubjectId, r.SubjectName, r.Uscc, r.MatchMethod, r.MatchScheme,
        r.MatchScore, r.MatchNote, r.Outcome.ToCode(), r.Outcome.ToChinese(),
        r.Reasons.Select(x => new ReasonDto(x.RuleId, x.Effect == RuleEffect.Fail ? "fail" : "review", x.EvidenceKind, x.EvidenceId, x.TextZh, x.TextEn, x.UnderObjection)).ToList());
}
