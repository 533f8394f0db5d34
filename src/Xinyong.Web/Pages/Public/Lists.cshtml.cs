using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Lists;
using Xinyong.Data.Lists;
using Xinyong.Data.Objections;
using Xinyong.Web.Public;

namespace Xinyong.Web.Pages.Public;

/// <summary>The public red or black list column: entries in force today (the one active predicate), natural persons masked.</summary>
public sealed class ListsModel(PublicSite site, ListEntries entries, ListTypeCatalogue types, OpenObjections objections) : PageModel
{
    public const int PageSize = 20;
    public bool Red { get; private set; }
    public IReadOnlyList<ListType> Types { get; private set; } = [];
    public IReadOnlyList<PublicListEntry> Items { get; private set; } = [];
    /// <summary>Entries on this page with an open objection, shown 异议中 (OpenObjections is the one rule for that).</summary>
    public IReadOnlySet<long> UnderObjection { get; private set; } = new HashSet<long>();
    public int Total { get; private set; }
    public int PageNumber { get; private set; }
    public string? Query { get; private set; }
    public string? Type { get; private set; }

    public async Task OnGetAsync(string kind, CancellationToken ct)
    {
        Red = kind == "red";
        var today = site.Today;
        Types = types.InForce(today).Where(t => t.Kind == (Red ? ListKind.Red : ListKind.Black)).ToList();
        Query = string.IsNullOrWhiteSpace(Request.Query["q"]) ? null : Request.Query["q"].ToString().Trim();
        Type = Types.Any(t => t.Id == Request.Query["type"]) ? Request.Query["type"].ToString() : null;
        PageNumber = int.TryParse(Request.Query["page"], out var p) && p > 0 ? p : 1;
        (Items, Total) = await entries.PublicPageAsync(Red ? "red" : "black", today, PageNumber, PageSize, Type, ct, Query);
        UnderObjection = await objections.ForListEntriesAsync(Items.Select(e => e.Id).ToList(), ct);
    }

    public ListType? TypeOf(string id) => types.Latest(id);

    public string QueryFor(int page) => $"?q={Uri.EscapeDataString(Query ?? "")}&type={Uri.EscapeDataString(Type ?? "")}&page={page}";
}
