using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Lists;
using Xinyong.Data.Lists;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Lists;

/// <summary>
/// Work-safety red/yellow cards (seed 001): who is under card management, when each management period ends, and a
/// removal notice (移出通知) that takes several subjects off at once, each with its own removal notice.
/// </summary>
public sealed class CardsModel(ListStore store) : PageModel
{
    public static readonly string[] CardTypes = ["work-safety-yellow-card", "work-safety-red-card"];
    public IReadOnlyList<ListEntry> Cards { get; private set; } = [];
    public IReadOnlyDictionary<long, (string Name, string? Uscc, string Kind)> Subjects { get; private set; } = new Dictionary<long, (string, string?, string)>();
    /// <summary>The latest removal notices sent to carded businesses, newest first.</summary>
    public IReadOnlyList<(ListNotice Notice, long SubjectId, string ListType)> Removals { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }
    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(long[]? ids, string? noticeNumber, string? reason, CancellationToken ct)
    {
        try
        {
            var ended = await store.EndByNoticeAsync(ids ?? [], noticeNumber, reason ?? ListEndReasons.PeriodEnd, User.ToActor(), ct);
            Done = HttpContext.T($"已按 {noticeNumber} 移出 {ended.Count} 个生产经营单位，并生成移出通知。", $"{ended.Count} removed under notice {noticeNumber}; removal notices sent.");
        }
        catch (ListRefusedException ex)
        {
            Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = store.Today;
        long? own = User.IsAdmin() ? null : User.DepartmentId() ?? -1;
        var cards = new List<ListEntry>();
        foreach (var type in CardTypes)
        {
            cards.AddRange((await store.ListAsync(new ListEntryFilter(own, ListStatus.Published, type), 1, 500, ct)).Items);
        }
        Cards = cards.OrderBy(c => c.ListedUntil ?? DateOnly.MaxValue).ToList();
        Removals = await store.NoticesOfTypesAsync(ListNoticeKinds.Removal, CardTypes, own, 50, ct);
        Subjects = await store.SubjectNamesAsync(Cards.Select(c => c.SubjectId).Concat(Removals.Select(r => r.SubjectId)).ToList(), ct);
    }
}
