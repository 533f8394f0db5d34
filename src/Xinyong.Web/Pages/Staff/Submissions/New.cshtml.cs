using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Web.Auth;
using Xinyong.Web.Ingestion;

namespace Xinyong.Web.Pages.Staff.Submissions;

public sealed class NewSubmissionModel(DepartmentStore departments, RecordCatalogue catalogue, UploadStorage uploads, IngestionRunner runner, IngestionQueue queue) : PageModel
{
    public IReadOnlyList<Department> Departments { get; private set; } = [];
    public string? OwnDepartment { get; private set; }
    [BindProperty] public string? Department { get; set; }
    [BindProperty] public string? Type { get; set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        await LoadAsync(ct);
        var dept = User.IsAdmin() ? await departments.FindAsync(Department ?? "", ct) : await departments.GetAsync(User.DepartmentId() ?? -1, ct);
        if (dept is null || !User.CanAccessDepartment(dept.Id))
        {
            Error = HttpContext.T("请选择报送单位。", "Choose a department.");
            return Page();
        }
        if (Type is null || !catalogue.TryGet(Type, out _))
        {
            Error = HttpContext.T("请选择数据类型。", "Choose a record type.");
            return Page();
        }
        if (file is null || file.Length == 0)
        {
            Error = HttpContext.T("请选择一个非空文件。", "Choose a non-empty file.");
            return Page();
        }
        var name = Path.GetFileName(file.FileName);
        await using var s = file.OpenReadStream();
        var path = await uploads.SaveAsync(s, name, ct);
        var submission = await runner.RegisterAsync(path, name, dept.Id, Type, "web", path, User.ToActor(), ct);
        queue.Enqueue(submission.Id, path);
        return Redirect($"/staff/submissions/{submission.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Departments = await departments.ListAsync(ct);
        OwnDepartment = Departments.FirstOrDefault(d => d.Id == User.DepartmentId())?.Name;
    }
}
