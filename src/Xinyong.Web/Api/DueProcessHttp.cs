using System.Security.Claims;
using Xinyong.Core.DueProcess;
using Xinyong.Data.Departments;
using Xinyong.Data.DueProcess;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>Shared pieces of the objection and repair endpoints: who handles, refusals as problems, evidence uploads.</summary>
internal static class DueProcessHttp
{
    /// <summary>The handler a principal acts as: administrators and the credit office's own staff act for the credit office.</summary>
    public static async Task<Handler> HandlerAsync(ClaimsPrincipal user, DepartmentStore departments, CancellationToken ct)
    {
        var name = user.ToActor().ToString();
        if (user.IsAdmin()) return Handler.ForCreditOffice(name);
        if (user.DepartmentId() is not { } id) return new Handler(name, null, false);
        var d = await departments.GetAsync(id, ct);
        return d is { IsCreditOffice: true } ? Handler.ForCreditOffice(name) : Handler.ForDepartment(name, id);
    }

    /// <summary>The department whose cases a principal sees: null for the credit office (all), else its own.</summary>
    public static long? Scope(Handler handler) => handler.CreditOffice ? null : handler.DepartmentId ?? -1;

    public static IResult Refused(HttpContext http, RefusedException e) => Problems.Create(http, e.Kind switch
    {
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.TooEarly => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    }, e.Code, e.Zh, e.En);

    public static IResult CaseNotFound(HttpContext http, string kind, long id) => kind == CaseKinds.Objection
        ? Problems.Create(http, 404, "objection_not_found", $"没有编号为 {id} 的异议", $"No objection with id {id}")
        : Problems.Create(http, 404, "repair_not_found", $"没有编号为 {id} 的信用修复申请", $"No repair application with id {id}");

    /// <summary>Runs a due-process step and turns refusals and missing cases into problem responses.</summary>
    public static async Task<IResult> Step(HttpContext http, string kind, long id, Func<Task<IResult>> step)
    {
        try
        {
            return await step();
        }
        catch (RefusedException e)
        {
            return Refused(http, e);
        }
        catch (CaseNotFoundException)
        {
            return CaseNotFound(http, kind, id);
        }
    }

    /// <summary>A checked evidence file from a form, ready to store.</summary>
    public sealed record EvidenceUpload(string FileName, byte[] Content);

    /// <summary>
    /// Reads and checks every file of a multipart form (size, extension, content matching the extension) before anything
    /// is stored: the first bad file refuses the whole form with a message naming it.
    /// </summary>
    public static async Task<IReadOnlyList<EvidenceUpload>> ReadFormFilesAsync(IFormFileCollection formFiles, CancellationToken ct)
    {
        var uploads = new List<EvidenceUpload>();
        foreach (var f in formFiles.Where(f => f.Length > 0))
        {
            if (f.Length > CaseFiles.MaxFileBytes)
            {
                var name = EvidenceFileTypes.SafeName(f.FileName);
                throw new RefusedException("file_too_large", $"文件“{name}”超过 5 MB：单个证明材料不能超过 5 MB", $"\"{name}\" is larger than 5 MB, the limit for one evidence file", RefusalKind.Invalid);
            }
            using var ms = new MemoryStream();
            await f.CopyToAsync(ms, ct);
            var content = ms.ToArray();
            CaseFiles.Check(f.FileName, content);
            uploads.Add(new EvidenceUpload(f.FileName, content));
        }
        return uploads;
    }

    /// <summary>Stores checked files as evidence of the case.</summary>
    public static async Task<IReadOnlyList<EvidenceFile>> AttachAsync(IReadOnlyList<EvidenceUpload> uploads, string kind, long caseId, CaseFiles files,
        Xinyong.Core.Auditing.Actor actor, CancellationToken ct)
    {
        var stored = new List<EvidenceFile>();
        foreach (var u in uploads) stored.Add(await files.AttachAsync(kind, caseId, u.FileName, u.Content, actor, ct));
        return stored;
    }

    /// <summary>Checks every file of a multipart form, then stores them all as evidence of the case.</summary>
    public static async Task<IReadOnlyList<EvidenceFile>> AttachFormFilesAsync(IFormFileCollection formFiles, string kind, long caseId, CaseFiles files,
        Xinyong.Core.Auditing.Actor actor, CancellationToken ct) =>
        await AttachAsync(await ReadFormFilesAsync(formFiles, ct), kind, caseId, files, actor, ct);
}
