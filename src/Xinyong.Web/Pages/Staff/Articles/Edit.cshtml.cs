using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Articles;
using Xinyong.Web.Auth;
using Xinyong.Web.Pages.News;

namespace Xinyong.Web.Pages.Staff.Articles;

/// <summary>
/// Create or edit an article; the buttons save (a draft, or the live text of a published article), publish, or
/// withdraw. Administrators (the credit office) only.
/// </summary>
public sealed class ArticleEditModel(ArticleStore articles) : PageModel
{
    public const string OpSave = "save";
    public const string OpPublish = "publish";
    public const string OpWithdraw = "withdraw";

    [BindProperty] public string Kind { get; set; } = ArticleKinds.News;
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Summary { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public string? Op { get; set; }
    [BindProperty(SupportsGet = true, Name = "done")] public string? Done { get; set; }

    /// <summary>The stored article; null while creating.</summary>
    public Article? Article { get; private set; }
    public IReadOnlyList<ArticleError> Errors { get; private set; } = [];

    public ArticleError? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field);

    public async Task<IActionResult> OnGetAsync(long? id, string? kind, CancellationToken ct)
    {
        if (!User.IsAdmin()) return Forbid();
        if (id is { } existing)
        {
            Article = await articles.GetAsync(existing, ct);
            if (Article is null) return NotFound();
            (Kind, Title, Summary, Source, Body) = (Article.Kind, Article.Title, Article.Summary, Article.Source, Article.Body);
        }
        else if (ArticleText.ParseKind(kind) is { } k)
        {
            Kind = k;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        if (!User.IsAdmin()) return Forbid();
        var actor = User.ToActor();
        if (id is { } existing)
        {
            Article = await articles.GetAsync(existing, ct);
            if (Article is null) return NotFound();
        }
        try
        {
            if (Op == OpWithdraw)
            {
                if (Article is null) return BadRequest();
                // Withdrawing takes the published text off the site as it is; unsaved edits in the form are not applied.
                await articles.WithdrawAsync(Article.Id, actor, ct);
                return Redirect($"/staff/articles/edit/{Article.Id}?done=withdrawn");
            }
            if (Op is not (OpSave or OpPublish)) return BadRequest();
            var draft = new ArticleDraft(Kind, Title ?? "", Summary, Body ?? "", Source);
            var saved = Article is null
                ? await articles.CreateAsync(draft, actor, ct)
                : await articles.UpdateAsync(Article.Id, draft, actor, ct);
            if (saved is null) return NotFound();
            if (Op == OpPublish && !saved.IsPublished) await articles.PublishAsync(saved.Id, actor, ct: ct);
            return Redirect($"/staff/articles/edit/{saved.Id}?done={(Op == OpPublish ? "published" : "saved")}");
        }
        catch (ArticleRejectedException ex)
        {
            Errors = ex.Errors;
            Done = null;
            if (Article is not null) Article = await articles.GetAsync(Article.Id, ct);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
    }
}
