using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Catalogue;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Objections;
using Xinyong.Data.Departments;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Objections;
using Xinyong.Web.Api;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.DueProcess;

/// <summary>One objection for the department that handles it: the claim, the record as it stands, the steps, and the next action.</summary>
public sealed class ObjectionDetailModel(ObjectionStore objections, ObjectionCorrections corrections, CaseFiles files, DepartmentStore departments,
    RecordCatalogue catalogue) : PageModel
{
    public StoredObjection Case { get; private set; } = default!;
    public IReadOnlyList<CaseStep> Steps { get; private set; } = [];
    public IReadOnlyList<EvidenceFile> Evidence { get; private set; } = [];
    public IReadOnlyList<CaseNotice> Notices { get; private set; } = [];
    public IReadOnlyList<(FieldDefinition Field, string? Value)> Fields { get; private set; } = [];
    public string DepartmentName { get; private set; } = "";
    public bool MayAct { get; private set; }
    public DateOnly Today => objections.Today;
    public string? Error { get; private set; }

    [BindProperty] public string? Note { get; set; }
    [BindProperty] public ObjectionOutcome Outcome { get; set; }
    [BindProperty] public string? Reasons { get; set; }
    [BindProperty] public bool Withdraw { get; set; }
    [BindProperty] public Dictionary<string, string?> New { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public Task<IActionResult> OnPostAcknowledgeAsync(long id, CancellationToken ct) =>
        ActAsync(id, h => objections.AcknowledgeAsync(id, h, User.ToActor(), ct), ct);

    public Task<IActionResult> OnPostVerifyAsync(long id, CancellationToken ct) =>
        ActAsync(id, h => objections.VerifyAsync(id, h, Note ?? "", User.ToActor(), ct), ct);

    public Task<IActionResult> OnPostDecideAsync(long id, CancellationToken ct) =>
        ActAsync(id, async h =>
        {
            var current = Case.Objection.TargetKind == ObjectionTargetKind.Record ? await corrections.CurrentValuesAsync(Case.Objection.TargetId, ct) : new Dictionary<string, string?>();
            var changes = New.Where(kv => kv.Value is not null && !string.Equals(kv.Value.Trim(), current.GetValueOrDefault(kv.Key) ?? "", StringComparison.Ordinal))
                .Select(kv => new FieldCorrection(kv.Key, current.GetValueOrDefault(kv.Key), kv.Value!.Trim())).ToList();
            return await objections.DecideAsync(id, h, Outcome, Reasons, changes, Withdraw, User.ToActor(), ct);
        }, ct);

    private async Task<IActionResult> ActAsync(long id, Func<Handler, Task<StoredObjection>> step, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } denied) return denied;
        try
        {
            await step(await DueProcessHttp.HandlerAsync(User, departments, ct));
            return RedirectToPage(new { id });
        }
        catch (RefusedException e)
        {
            Error = HttpContext.T(e.Zh, e.En);
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var s = await objections.GetAsync(id, ct);
        if (s is null) return NotFound();
        var handler = await DueProcessHttp.HandlerAsync(User, departments, ct);
        if (!handler.MayHandle(s.Objection.DepartmentId)) return Forbid();
        Case = s;
        MayAct = s.Objection.IsOpen;
        Steps = await objections.StepsAsync(id, ct);
        Evidence = await files.EvidenceAsync(CaseKinds.Objection, id, ct);
        Notices = await files.NoticesAsync(CaseKinds.Objection, id, ct: ct);
        DepartmentName = (await departments.GetAsync(s.Objection.DepartmentId, ct))?.Name ?? "?";
        if (s.Objection.TargetKind == ObjectionTargetKind.Record)
        {
            var values = await corrections.CurrentValuesAsync(s.Objection.TargetId, ct);
            var type = catalogue.Types.FirstOrDefault(t => t.Fields.Any(f => values.ContainsKey(f.Name) && f.Name == t.DecisionNumber));
            Fields = type is null ? [] : type.Fields.Select(f => (f, values.GetValueOrDefault(f.Name))).ToList();
        }
        return null;
    }
}
