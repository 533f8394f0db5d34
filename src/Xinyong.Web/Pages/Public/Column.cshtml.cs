using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Departments;
using Xinyong.Data.Publication;
using Xinyong.Web.Public;

namespace Xinyong.Web.Pages.Public;

/// <summary>A 双公示 column (licences or penalties): what is public today, filterable, with feed and CSV links.</summary>
public sealed class ColumnModel(PublicSite site, PublicRecords records, DepartmentStore departments, RecordCatalogue catalogue) : PageModel
{
    public string Column { get; private set; } = "";
    public string RecordType { get; private set; } = "";
    public ColumnPage Result { get; private set; } = new([], 1, 20, false);
    public IReadOnlyList<Department> Departments { get; private set; } = [];
    public IReadOnlyList<string> Kinds { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public long? Department { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    /// <summary>From ?page= (read directly: Razor Pages' own "page" route value would shadow a bound property).</summary>
    public int PageNumber { get; private set; } = 1;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string column, CancellationToken ct)
    {
        PageNumber = int.TryParse(Request.Query["page"], out var requested) && requested > 0 ? requested : 1;
        if (PublicSite.RecordTypeOf(column) is not { } type) return NotFound();
        Column = column;
        RecordType = type;
        Departments = (await departments.ListAsync(ct)).Where(d => !d.IsCreditOffice).ToList();
        var kindField = catalogue[type].Fields.First(f => f.Name == (type == "penalty" ? "CF_CFLB" : "XK_XKLB"));
        Kinds = kindField.Values?.Keys.ToList() ?? [];
        var from = ParseDate(From, "from");
        var to = ParseDate(To, "to");
        Result = await records.ColumnAsync(new ColumnQuery(type, site.Today, Department, from, to, Kinds.Contains(Kind ?? "") ? Kind : null, PageNumber), ct);
        return Page();
    }

    private DateOnly? ParseDate(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        Error = HttpContext.T($"日期“{value}”无法识别，请使用 年-月-日 格式，如 2026-01-31。", $"Date '{value}' is not understood; use year-month-day, e.g. 2026-01-31.");
        return null;
    }

    public string QueryFor(int page) => $"?department={Department}&from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&kind={Uri.EscapeDataString(Kind ?? "")}&page={page}";

    public string ExportQuery => $"?department={Department}&from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&kind={Uri.EscapeDataString(Kind ?? "")}";
}
