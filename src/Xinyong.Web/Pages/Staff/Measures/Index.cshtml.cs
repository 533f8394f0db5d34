using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Measures;
using Xinyong.Data.Measures;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Measures;

/// <summary>The measure catalogue in force, its spreadsheet export, and import of a new version by the credit office.</summary>
public sealed class MeasuresIndexModel(MeasureCatalogueStore store) : PageModel
{
    public MeasureCatalogue Catalogue { get; private set; } = default!;
    public IReadOnlyList<CatalogueVersion> Versions { get; private set; } = [];
    public IReadOnlyDictionary<string, string> DepartmentNames { get; private set; } = new Dictionary<string, string>();
    public ListTypeCatalogue Types => store.Types;
    public string? Error { get; private set; }
    public IReadOnlyList<CatalogueIssue> Issues { get; private set; } = [];
    public string? Imported { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var c = await store.CurrentAsync(ct);
        var ms = new MemoryStream();
        MeasureCatalogueSheet.Write(c, store.Types, await store.DepartmentNamesAsync(ct), ms);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"measure-catalogue-{c.Version}.xlsx");
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, string? version, DateOnly? issuedOn, CancellationToken ct)
    {
        if (!User.IsAdmin()) return Forbid();
        if (file is null || file.Length == 0)
        {
            Error = HttpContext.T("请选择措施清单 .xlsx 文件。", "Choose the catalogue .xlsx file.");
        }
        else
        {
            try
            {
                await using var s = file.OpenReadStream();
                var c = await store.ImportXlsxAsync(s, Path.GetFileName(file.FileName), version, issuedOn, User.ToActor(), ct);
                Imported = HttpContext.T($"已导入版本 {c.Version}（{c.All.Count} 项措施），即日起适用。", $"Imported version {c.Version} ({c.All.Count} measures), in force now.");
            }
            catch (CatalogueInvalidException e)
            {
                Error = HttpContext.T($"清单有 {e.Issues.Count} 处问题，未导入：", $"{e.Issues.Count} problems; nothing was imported:");
                Issues = e.Issues;
            }
            catch (RefusedException e)
            {
                Error = HttpContext.T(e.Zh, e.En);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Catalogue = await store.CurrentAsync(ct);
        Versions = await store.VersionsAsync(ct);
        DepartmentNames = await store.DepartmentNamesAsync(ct);
    }
}
