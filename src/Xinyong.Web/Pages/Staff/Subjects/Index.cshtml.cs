using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Subjects;
using Xinyong.Identifiers;

namespace Xinyong.Web.Pages.Staff.Subjects;

public sealed record SubjectListItem(long Id, string Name, string? Uscc, string Kind, string Reason);

public sealed class SubjectsModel(SubjectStore subjects) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    public IReadOnlyList<SubjectListItem> Items { get; private set; } = [];
    public int Total { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Query)) return Page();
        var kind = Identifier.Detect(Query);
        if (kind != IdentifierKind.Unknown)
        {
            var s = await subjects.FindByCodeAsync(Query, ct);
            if (s is not null) return Redirect($"/staff/subjects/{s.Id}");
        }
        var (items, total) = await subjects.SearchByNameAsync(Query, 1, 50, ct);
        Items = items.Select(i => new SubjectListItem(i.Subject.Id, i.Subject.Kind == "natural_person" ? Masking.MaskPersonName(i.Subject.Name) : i.Subject.Name,
            i.Subject.Uscc, i.Subject.Kind, i.Reason)).ToList();
        Total = total;
        if (total == 0) Message = HttpContext.T("没有找到匹配的主体。", "No matching subject.");
        return Page();
    }
}
