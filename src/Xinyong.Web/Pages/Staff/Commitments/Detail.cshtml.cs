using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Commitments;
using Xinyong.Data.Commitments;
using Xinyong.Data.Departments;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;
using Xinyong.Data.Auditing;

namespace Xinyong.Web.Pages.Staff.Commitments;

/// <summary>One commitment: its details, its history with who took each step, and the steps open to the receiving department.</summary>
public sealed class CommitmentDetailModel(CommitmentStore store, SubjectStore subjects, DepartmentStore departments) : PageModel
{
    public Commitment Commitment { get; private set; } = default!;
    public CommitmentKind Kind { get; private set; } = default!;
    public string SubjectName { get; private set; } = "";
    public string DepartmentName { get; private set; } = "";
    public IReadOnlyList<StatusEvent> History { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, string step, string? note, string? decisionNumber, string? legalBasis, string? grade, CancellationToken ct)
    {
        var actor = User.ToActor();
        try
        {
            _ = step switch
            {
                "publish" => await store.PublishAsync(id, actor, ct),
                "fulfil" => await store.FulfilAsync(id, note, actor, ct),
                "suspect" => await store.SuspectBreachAsync(id, note, actor, ct),
                "confirm" => await store.ConfirmBreachAsync(id, new BreachFinding(decisionNumber, note, legalBasis, grade), actor, ct),
                "clear" => await store.ClearAsync(id, note, actor, ct),
                _ => throw new CommitmentRefusedException(new CommitmentRefusal("unknown-step", "step", "未知操作。", "Unknown step.", CommitmentRefusalKind.Invalid)),
            };
            return Redirect($"/staff/commitments/{id}");
        }
        catch (CommitmentRefusedException ex)
        {
            Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var c = await store.GetAsync(id, ct);
        if (c is null) return false;
        var own = await departments.GetAsync(User.DepartmentId() ?? -1, ct);
        if (!User.CanAccessDepartment(c.DepartmentId) && own?.IsCreditOffice != true) return false;
        Commitment = c;
        Kind = store.Kinds.Find(c.Kind, c.KindVersion) ?? store.Kinds.Latest(c.Kind)!;
        SubjectName = (await subjects.GetAsync(c.SubjectId, 0, ct))?.Subject.Name ?? "";
        DepartmentName = (await departments.GetAsync(c.DepartmentId, ct))?.Name ?? "";
        History = await store.HistoryAsync(id, ct);
        return true;
    }
}
