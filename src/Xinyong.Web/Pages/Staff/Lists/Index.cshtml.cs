using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Lists;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Lists;

/// <summary>The lists workbench: types in force, the department's designations with state and deadlines, notices to the department.</summary>
public sealed class ListsIndexModel(ListStore store, DepartmentStore departments) : PageModel
{
    public IReadOnlyList<ListType> Types { get; private set; } = [];
    public IReadOnlyList<ListEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyDictionary<long, (string Name, string? Uscc, string Kind)> Subjects { get; private set; } = new Dictionary<long, (string, string?, string)>();
    public IReadOnlyDictionary<long, Department> Departments { get; private set; } = new Dictionary<long, Department>();
    public IReadOnlyList<ListNotice> Notices { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public string? Status { get; private set; }
    public string? Type { get; private set; }
    public string? OwnCode { get; private set; }

    public async Task OnGetAsync(string? status, string? type, int? page, CancellationToken ct)
    {
        Today = store.Today;
        Status = string.IsNullOrEmpty(status) ? null : status;
        Type = string.IsNullOrEmpty(type) ? null : type;
        Types = store.Types.InForce(Today);
        long? own = User.IsAdmin() ? null : User.DepartmentId() ?? -1;
        (Entries, Total) = await store.ListAsync(new ListEntryFilter(own, Status, Type), page ?? 1, 100, ct);
        Subjects = await store.SubjectNamesAsync(Entries.Select(e => e.SubjectId).ToList(), ct);
        Departments = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
        OwnCode = User.DepartmentId() is { } d && Departments.TryGetValue(d, out var dept) ? dept.Code : null;
        Notices = User.DepartmentId() is { } mine ? await store.NoticesAsync(departmentId: mine, limit: 20, ct: ct)
            : User.IsAdmin() ? (await store.NoticesAsync(limit: 50, ct: ct)).Where(n => n.RecipientKind == "department").ToList() : [];
    }

    /// <summary>What the officer should do next and by when, in words.</summary>
    public string NextStep(ListEntry e) => e.Status switch
    {
        ListStatus.Proposed => HttpContext.T("待告知当事人", "Notify the subject"),
        ListStatus.Noticed when e.ObjectionUntil >= Today => HttpContext.T($"异议期至 {e.ObjectionUntil:yyyy-MM-dd}", $"Objections until {e.ObjectionUntil:yyyy-MM-dd}"),
        ListStatus.Noticed => HttpContext.T("异议期已满，可作出决定", "Window closed: decide"),
        ListStatus.Decided => HttpContext.T("待公布", "Publish"),
        ListStatus.Published when e.ListedUntil is { } u => HttpContext.T($"公布至 {u.AddDays(-1):yyyy-MM-dd}", $"Listed until {u.AddDays(-1):yyyy-MM-dd}"),
        ListStatus.Published => HttpContext.T("至符合移出条件", "Until exit conditions are met"),
        _ => "",
    };
}
