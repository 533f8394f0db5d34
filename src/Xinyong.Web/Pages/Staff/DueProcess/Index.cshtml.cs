using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.DueProcess;
using Xinyong.Data.Departments;
using Xinyong.Data.Objections;
using Xinyong.Data.Repair;
using Xinyong.Web.Api;

namespace Xinyong.Web.Pages.Staff.DueProcess;

/// <summary>One row of the work queue: an objection or a repair application with its next deadline.</summary>
public sealed record QueueItem(string Kind, long Id, string Reference, string Department, long SubjectId, string What, string Status, DateOnly Filed,
    DateOnly? Due, bool Overdue, DateOnly? EscalatedOn);

/// <summary>
/// The department's work queue of open objections and repair applications (the credit office sees every department's),
/// overdue first, then by the next deadline.
/// </summary>
public sealed class QueueModel(ObjectionStore objections, RepairStore repairs, DepartmentStore departments) : PageModel
{
    public IReadOnlyList<QueueItem> Items { get; private set; } = [];
    public Handler Handler { get; private set; } = default!;
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Handler = await DueProcessHttp.HandlerAsync(User, departments, ct);
        var scope = DueProcessHttp.Scope(Handler);
        Today = objections.Today;
        var names = (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);
        var items = new List<QueueItem>();
        foreach (var s in await objections.ListAsync(scope, null, true, 500, ct))
        {
            var o = s.Objection;
            items.Add(new QueueItem("objection", o.Id, s.Reference, names.GetValueOrDefault(o.DepartmentId, "?"), o.SubjectId,
                HttpContext.T($"异议：{TargetZh(o.TargetKind)} {o.TargetId}", $"Objection: {o.TargetKind} {o.TargetId}"),
                HttpContext.T(Xinyong.Core.Objections.Objection.StatusZh(o.Status), o.Status.ToString()), o.FiledOn, o.NextDeadline, o.IsOverdue(Today), o.EscalatedOn));
        }
        foreach (var s in await repairs.ListAsync(scope, null, true, 500, ct))
        {
            var a = s.Application;
            items.Add(new QueueItem("repair", a.Id, s.Reference, names.GetValueOrDefault(a.DepartmentId, "?"), a.SubjectId,
                HttpContext.T($"信用修复：记录 {a.RecordId}", $"Repair: record {a.RecordId}"),
                HttpContext.T(Xinyong.Core.Repair.RepairApplication.StatusZh(a.Status), a.Status.ToString()), a.SubmittedOn, a.NextDeadline, a.IsOverdue(Today), a.EscalatedOn));
        }
        Items = items.OrderByDescending(i => i.Overdue).ThenBy(i => i.Due ?? DateOnly.MaxValue).ThenBy(i => i.Filed).ToList();
    }

    private static string TargetZh(Xinyong.Core.Objections.ObjectionTargetKind k) => k switch
    {
        Xinyong.Core.Objections.ObjectionTargetKind.Record => "记录",
        Xinyong.Core.Objections.ObjectionTargetKind.ListEntry => "名单条目",
        _ => "核查结果",
    };
}
