using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Commitments;
using Xinyong.Data.Commitments;
using Xinyong.Data.Departments;
using Xinyong.Data.Subjects;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Commitments;

/// <summary>A department's commitments: the list, a form to register one, and a file import.</summary>
public sealed class CommitmentsModel(CommitmentStore store, CommitmentImport import, SubjectStore subjects, DepartmentStore departments) : PageModel
{
    public IReadOnlyList<CommitmentRow> Items { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<CommitmentKind> Kinds { get; private set; } = [];
    public IReadOnlyList<Department> Departments { get; private set; } = [];
    public bool SeesAll { get; private set; }
    public string? Error { get; private set; }
    public CommitmentImportResult? ImportResult { get; private set; }
    [BindProperty(SupportsGet = true)] public string? FilterKind { get; set; }
    [BindProperty(SupportsGet = true)] public string? FilterStatus { get; set; }
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty(Name = "Content")] public string? Text { get; set; }
    [BindProperty] public string? Matter { get; set; }
    [BindProperty] public DateOnly? MadeOn { get; set; }
    [BindProperty] public DateOnly? DueOn { get; set; }
    [BindProperty] public string? Department { get; set; }
    [BindProperty] public bool Publish { get; set; } = true;

    public DateOnly Today => store.Today;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken ct)
    {
        var subject = string.IsNullOrWhiteSpace(Code) ? null : await subjects.FindByCodeAsync(Code, ct);
        if (subject is null)
        {
            Error = HttpContext.T("平台上没有该代码对应的主体，请核对统一社会信用代码。", "No subject with this code is on the platform.");
            await LoadAsync(ct);
            return Page();
        }
        try
        {
            var department = await DepartmentIdAsync(ct);
            var (c, _) = await store.RegisterAsync(new CommitmentDraft(Kind ?? "", subject.Id, department, Text, Matter, MadeOn ?? store.Today, DueOn,
                CommitmentChannels.Form), User.ToActor(), Publish, ct);
            return Redirect($"/staff/commitments/{c.Id}");
        }
        catch (CommitmentRefusedException ex)
        {
            Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
            await LoadAsync(ct);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Error = HttpContext.T("请选择一个非空文件。", "Choose a non-empty file.");
            await LoadAsync(ct);
            return Page();
        }
        try
        {
            var department = await DepartmentIdAsync(ct);
            await using var s = new MemoryStream();
            await file.CopyToAsync(s, ct);
            s.Position = 0;
            ImportResult = await import.ImportAsync(s, Path.GetFileName(file.FileName), department, CommitmentChannels.File, User.ToActor(), Publish, ct);
        }
        catch (CommitmentRefusedException ex)
        {
            Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task<long> DepartmentIdAsync(CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(Department) && (await departments.FindAsync(Department, ct)) is { } d ? d.Id : User.DepartmentId() ?? 0;

    private async Task LoadAsync(CancellationToken ct)
    {
        Kinds = store.Kinds.InForce(store.Today);
        Departments = await departments.ListAsync(ct);
        var own = Departments.FirstOrDefault(d => d.Id == User.DepartmentId());
        SeesAll = User.IsAdmin() || own?.IsCreditOffice == true;
        var filter = new CommitmentFilter(SeesAll ? null : User.DepartmentId() ?? -1, Empty(FilterKind), Empty(FilterStatus));
        (Items, Total) = await store.ListAsync(filter, Math.Max(1, PageNumber), 50, ct);
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
