using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Checks;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Checks;
using Xinyong.Web.Auth;
using Xinyong.Web.Checks;
using Xinyong.Web.Ingestion;

namespace Xinyong.Web.Pages.Staff.Checks;

/// <summary>Credit checks: one subject on the spot, or upload a batch that runs in the background.</summary>
public sealed class ChecksIndexModel(CheckPurposeStore purposes, CheckRunner runner, CheckRuns runs, UploadStorage uploads, CheckQueue queue) : PageModel
{
    public IReadOnlyList<StoredPurpose> Purposes { get; private set; } = [];
    public IReadOnlyList<CheckRun> Recent { get; private set; } = [];
    [BindProperty] public string? Purpose { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Reference { get; set; }
    public CheckRowResult? Result { get; private set; }
    public CheckRun? ResultRun { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSingleAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Purposes.All(p => p.Purpose.Id != Purpose))
        {
            Error = HttpContext.T("请选择核查用途。", "Choose a purpose.");
            return Page();
        }
        if (string.IsNullOrWhiteSpace(Code) && string.IsNullOrWhiteSpace(Name))
        {
            Error = HttpContext.T("请输入统一社会信用代码或名称。", "Enter a credit code or a name.");
            return Page();
        }
        (ResultRun, Result) = await runner.CheckOneAsync(Purpose!, Code, Name, Reference, User.ToActor(), ct: ct);
        Recent = await runs.RecentAsync(User.IsAdmin() ? null : User.DepartmentId() ?? -1, 20, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostBatchAsync(IFormFile? file, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Purposes.All(p => p.Purpose.Id != Purpose))
        {
            Error = HttpContext.T("请选择核查用途。", "Choose a purpose.");
            return Page();
        }
        if (file is null || file.Length == 0)
        {
            Error = HttpContext.T("请选择一个非空文件。", "Choose a non-empty file.");
            return Page();
        }
        var name = Path.GetFileName(file.FileName);
        string path;
        await using (var s = file.OpenReadStream()) path = await uploads.SaveAsync(s, name, ct);
        int rows;
        string sha;
        try
        {
            var (read, hash) = CheckInputFile.ReadFile(path, name);
            (rows, sha) = (read.Count, hash);
        }
        catch (SourceFormatException ex)
        {
            System.IO.File.Delete(path);
            Error = HttpContext.T(ex.MessageZh, ex.MessageEn);
            return Page();
        }
        var run = await runner.CreateBatchAsync(Purpose!, Reference, name, sha, path, rows, CheckMatchOptions.Default, User.ToActor(), ct: ct);
        queue.Enqueue(run.Id);
        return Redirect($"/staff/checks/{run.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Purposes = await purposes.ListCurrentAsync(ct);
        Recent = await runs.RecentAsync(User.IsAdmin() ? null : User.DepartmentId() ?? -1, 20, ct);
    }
}
