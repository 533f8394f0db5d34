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

    /// <summary>Stores every file of a multipart form as evidence of the case.</summary>
    public static async Task<IReadOnlyList<EvidenceFile>> AttachFormFilesAsync(IFormFileCollection formFiles, string kind, long caseId, CaseFiles files,
        Xinyong.Core.Auditing.Actor actor, CancellationToken ct)
    {
        var stored = new List<EvidenceFile>();
        foreach (var f in formFiles.Where(f => f.Length > 0))
        {
            if (f.Length > CaseFiles.MaxFileBytes)
                throw new RefusedException("file_too_large", "单个证明材料不能超过 5 MB", "An evidence file may not exceed 5 MB", RefusalKind.Invalid);
            using var ms = new MemoryStream();
            await f.CopyToAsync(ms, ct);
            stored.Add(await files.AttachAsync(kind, caseId, f.FileName, ContentTypeOf(f), ms.ToArray(), actor, ct));
        }
        return stored;
    }

    private static string ContentTypeOf(IFormFile f)
    {
        var ext = Path.GetExtension(f.FileName).ToLowerInvariant();
        return ext switch
        {
            ".pdf" => "application/pdf",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ => f.ContentType,
        };
    }
}
