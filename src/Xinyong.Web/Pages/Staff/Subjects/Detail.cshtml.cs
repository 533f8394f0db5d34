using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Auditing;
using Xinyong.Data.Publication;
using Xinyong.Data.Subjects;
using Xinyong.Web.Api;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff.Subjects;

public sealed class SubjectDetailModel(SubjectStore subjects, RecordCatalogue catalogue, AuditLog audit, PublicRecords publications, Xinyong.Web.Public.PublicSite site) : PageModel
{
    internal SubjectsApi.SubjectDto? Subject { get; private set; }

    /// <summary>What the publication rules decided for each record (by record id).</summary>
    public IReadOnlyDictionary<long, PublicationState> Publication { get; private set; } = new Dictionary<long, PublicationState>();

    public DateOnly Today => site.Today;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var detail = await subjects.GetAsync(id, ct: ct);
        if (detail is null) return NotFound();
        if (detail.Subject.Kind == "natural_person")
            await audit.WriteAsync(User.ToActor(), "personal_data.view_masked", "subject", id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct: ct);
        Subject = SubjectsApi.ToDto(detail, catalogue, reveal: false);
        Publication = await publications.StatesForSubjectAsync(id, ct);
        return Page();
    }
}
