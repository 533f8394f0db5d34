using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Accounts;
using Xinyong.Data.Departments;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff;

public sealed class TokensModel(AccountStore accounts, DepartmentStore departments) : PageModel
{
    public IReadOnlyList<Department> Departments { get; private set; } = [];
    public IReadOnlyList<ApiTokenInfo> Tokens { get; private set; } = [];
    public string? NewSecret { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? department, string? name, CancellationToken ct)
    {
        var dept = User.IsAdmin() ? await departments.FindAsync(department ?? "", ct) : await departments.GetAsync(User.DepartmentId() ?? -1, ct);
        if (dept is null || string.IsNullOrWhiteSpace(name)) return BadRequest();
        (_, NewSecret) = await accounts.CreateTokenAsync(dept.Id, name.Trim(), User.ToActor(), ct);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Departments = await departments.ListAsync(ct);
        Tokens = await accounts.ListTokensAsync(User.IsAdmin() ? null : User.DepartmentId() ?? -1, ct);
    }
}
