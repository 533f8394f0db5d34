using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Objections;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Objections;
using Xinyong.Data.Publication;
using Xinyong.Data.Subjects;
using Xinyong.Web.Api;
using Xinyong.Web.Public;

namespace Xinyong.Web.Pages.Public.DueProcess;

/// <summary>
/// A subject objects to one of its published records (异议申请): identifies itself by its code, gives a contact, states
/// the claim and attaches evidence. The case goes to the department that provided the record.
/// </summary>
public sealed class ObjectionModel(PublicSite site, PublicRecords records, SubjectStore subjects, ObjectionStore objections, CaseFiles files) : PageModel
{
    public PublicSubject Subject { get; private set; } = default!;
    public PublicRecord Record { get; private set; } = default!;
    public StoredObjection? Filed { get; private set; }
    public string? Error { get; private set; }

    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? ContactName { get; set; }
    [BindProperty] public string? ContactPhone { get; set; }
    [BindProperty] public string? Claim { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, long record, CancellationToken ct) =>
        await LoadAsync(id, record, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, long record, CancellationToken ct)
    {
        if (!await LoadAsync(id, record, ct)) return NotFound();
        var found = string.IsNullOrWhiteSpace(Code) ? null : await subjects.FindByCodeAsync(Code, ct);
        if (found is null || found.Id != id)
        {
            Error = HttpContext.T("统一社会信用代码（或身份证号码）与该主体不符。", "The code does not match this subject.");
            return Page();
        }
        var actor = new Actor(ActorKind.User, "public:" + Code!.Trim());
        try
        {
            // Files are checked before the case exists, so a refused file is reported on the form instead of after a filing without it.
            var uploads = Request.HasFormContentType ? await DueProcessHttp.ReadFormFilesAsync(Request.Form.Files, ct) : [];
            Filed = await objections.FileAsync(new ObjectionFiling(id, ObjectionTargetKind.Record, record, 0, "online", ContactName ?? "", ContactPhone ?? "",
                Claim ?? "", actor.ToString()), actor, ct);
            await DueProcessHttp.AttachAsync(uploads, CaseKinds.Objection, Filed.Objection.Id, files, actor, ct);
        }
        catch (RefusedException e)
        {
            Error = HttpContext.T(e.Zh, e.En);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(long id, long record, CancellationToken ct)
    {
        var r = await records.RecordAsync(record, site.Today, ct);
        var s = await records.SubjectAsync(id, site.Today, ct);
        if (r is null || s is null || r.SubjectId != id) return false;
        (Subject, Record) = (s, r);
        return true;
    }
}
