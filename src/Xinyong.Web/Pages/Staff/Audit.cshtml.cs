using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Auditing;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff;

public sealed class AuditModel(AuditLog audit) : PageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsAdmin()) return Forbid();
        Entries = await audit.RecentAsync(300, ct: ct);
        return Page();
    }
}
