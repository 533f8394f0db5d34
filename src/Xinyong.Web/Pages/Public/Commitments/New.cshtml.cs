using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Commitments;
using Xinyong.Data.Commitments;

namespace Xinyong.Web.Pages.Public.Commitments;

/// <summary>A subject makes a credit commitment online: identified by its credit code, with a contact kept off public pages.</summary>
public sealed class NewCommitmentModel(CommitmentStore store) : PageModel
{
    public IReadOnlyList<CommitmentKind> Kinds { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public string? Kind { get; set; } = "voluntary";
    [BindProperty(Name = "Content")] public string? Text { get; set; }
    [BindProperty] public string? ContactName { get; set; }
    [BindProperty] public string? ContactPhone { get; set; }
    [BindProperty] public bool Agree { get; set; }
    public string? Error { get; private set; }

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Load();
        if (!Agree)
        {
            Error = HttpContext.T("请确认承诺内容真实并同意向社会公示。", "Confirm that the commitment is true and agree to its publication.");
            return Page();
        }
        try
        {
            var c = await store.MakeOnlineAsync(Code, Kind ?? "voluntary", Text, ContactName, ContactPhone, ct);
            return Redirect($"/subjects/{c.SubjectId}#commitment-{c.Id}");
        }
        catch (CommitmentRefusedException ex)
        {
            Error = HttpContext.T(ex.Refusal.Zh, ex.Refusal.En);
            return Page();
        }
    }

    private void Load() => Kinds = store.Kinds.InForce(store.Today).Where(k => k.OnlineBySubject).ToList();
}
