using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Commitments;
using Xinyong.Data.Commitments;

namespace Xinyong.Web.Pages.Staff.Commitments;

/// <summary>Coverage of credit commitments against the work plan's targets, per kind and per department, with a chart.</summary>
public sealed class CoverageModel(CommitmentCoverage coverage, CommitmentStore store) : PageModel
{
    public CoverageReport Report { get; private set; } = default!;
    public CommitmentKindCatalogue Kinds => store.Kinds;

    public async Task OnGetAsync(CancellationToken ct) => Report = await coverage.ComputeAsync(store.Today, ct);
}
