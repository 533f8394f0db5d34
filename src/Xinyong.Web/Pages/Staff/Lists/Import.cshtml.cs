using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Lists;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Lists;

/// <summary>Upload a department's file of decisions (e.g. the court's defaulters) and see what became of each import.</summary>
public sealed class ListImportModel(ListImporter importer, ListStore store, DepartmentStore departments) : PageModel
{
    public IReadOnlyList<ListType> Types { get; private set; } = [];
    public IReadOnlyList<Department> AllDepartments { get; private set; } = [];
    public IReadOnlyList<ListImport> Imports { get; private set; } = [];
    public ListImport? Result { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, string? type, string? department, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Error = HttpContext.T("请选择一个非空文件。", "Choose a non-empty file.");
        }
        else
        {
            long dept = 0;
            if (User.IsAdmin() && !string.IsNullOrWhiteSpace(department)) dept = (await departments.FindAsync(department, ct))?.Id ?? 0;
            var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            try
            {
                Result = await importer.ImportAsync(buffer, Path.GetFileName(file.FileName), type ?? "", dept, "web", User.ToActor(), ct);
                if (Result.Status != "completed") Error = HttpContext.T(Result.ErrorZh ?? "", Result.ErrorEn ?? "");
            }
            catch (ListRefusedException ex)
            {
                Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        AllDepartments = await departments.ListAsync(ct);
        var own = AllDepartments.FirstOrDefault(d => d.Id == User.DepartmentId())?.Code;
        Types = store.Types.InForce(store.Today).Where(t => t.DesignatedElsewhere && (own is null ? User.IsAdmin() : t.MayBeDesignatedBy(own))).ToList();
        Imports = await importer.ListAsync(User.IsAdmin() ? null : User.DepartmentId() ?? -1, 50, ct);
    }
}
