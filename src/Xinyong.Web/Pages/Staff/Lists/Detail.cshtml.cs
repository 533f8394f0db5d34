using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Lists;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Web.Auth;
using Xinyong.Data.Auditing;

namespace Xinyong.Web.Pages.Staff.Lists;

/// <summary>One designation: its facts, deadlines, history and notices, and the buttons for the steps its state allows.</summary>
public sealed class ListEntryDetailModel(ListStore store, DepartmentStore departments) : PageModel
{
    public ListEntry Entry { get; private set; } = default!;
    public ListType? Type { get; private set; }
    public string SubjectName { get; private set; } = "";
    public string DepartmentName { get; private set; } = "";
    public IReadOnlyList<StatusEvent> History { get; private set; } = [];
    public IReadOnlyList<ListNotice> Notices { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }
    public bool MayAct { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, string step, string? text, string? reason, CancellationToken ct)
    {
        var actor = User.ToActor();
        try
        {
            _ = step switch
            {
                "notice" => await store.NoticeAsync(id, actor, ct),
                "close" => await store.CloseObjectionWindowAsync(id, text, actor, ct),
                "decide" => await store.DecideAsync(id, text, actor, ct),
                "publish" => await store.PublishAsync(id, actor, ct),
                "exit" => await store.EndAsync(id, reason ?? "", text, actor, ct),
                "remove" => await store.RemoveAsync(id, text, actor, ct),
                "drop" => await store.DropAsync(id, text, actor, ct),
                _ => throw new ListRefusedException(new ListRefusal("unknown-step", "step", "未知的操作。", "Unknown step.")),
            };
            return Redirect($"/staff/lists/{id}");
        }
        catch (ListRefusedException ex)
        {
            Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
        }
        catch (ListEntryNotFoundException)
        {
            return NotFound();
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var e = await store.GetAsync(id, ct);
        if (e is null || !User.CanAccessDepartment(e.DepartmentId) && !User.IsAdmin()) return false;
        Entry = e;
        Today = store.Today;
        Type = store.Types.Find(e.ListType, e.TypeVersion) ?? store.Types.Latest(e.ListType);
        SubjectName = (await store.SubjectNamesAsync([e.SubjectId], ct)).TryGetValue(e.SubjectId, out var s) ? s.Name : e.SubjectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        DepartmentName = (await departments.GetAsync(e.DepartmentId, ct))?.Name ?? "";
        History = await store.HistoryAsync(id, ct);
        Notices = await store.NoticesAsync(id, ct: ct);
        MayAct = User.DepartmentId() is null || User.DepartmentId() == e.DepartmentId;
        return true;
    }
}
