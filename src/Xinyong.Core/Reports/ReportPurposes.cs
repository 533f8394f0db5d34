using System.Text.Json;

namespace Xinyong.Core.Reports;

/// <summary>
/// One purpose of a 专项信用报告: which records it covers (departments, publication sectors, legal-basis keywords,
/// list types) and over how many months by default. Scope is data (report-purposes.json), versioned by effective date.
/// </summary>
public sealed record ReportPurpose(
    string Id,
    DateOnly EffectiveFrom,
    string NameZh,
    string NameEn,
    string ReplacesZh,
    string ReplacesEn,
    IReadOnlyList<string> Departments,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> BasisKeywords,
    IReadOnlyList<string> ListTypes,
    int LookbackMonths)
{
    /// <summary>Whether a penalty falls in this purpose's field.</summary>
    public bool Covers(string? departmentCode, string? sector, string? basis) =>
        (departmentCode is not null && Departments.Contains(departmentCode, StringComparer.Ordinal))
        || (sector is not null && Sectors.Contains(sector, StringComparer.Ordinal))
        || (basis is not null && BasisKeywords.Any(k => basis.Contains(k, StringComparison.Ordinal)));

    /// <summary>The covered period ending on (and including) <paramref name="issueDate"/>.</summary>
    public (DateOnly From, DateOnly To) DefaultPeriod(DateOnly issueDate) => (issueDate.AddMonths(-LookbackMonths).AddDays(1), issueDate);
}

/// <summary>The purposes in force, loaded from report-purposes.json (embedded) or another file in the same format.</summary>
public sealed class ReportPurposeCatalogue
{
    private static readonly Lazy<ReportPurposeCatalogue> Default = new(() =>
    {
        using var s = typeof(ReportPurposeCatalogue).Assembly.GetManifestResourceStream("Xinyong.Core.Reports.report-purposes.json")
                      ?? throw new InvalidOperationException("report-purposes.json is not embedded.");
        return Parse(s);
    });

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly Dictionary<string, List<ReportPurpose>> _versions;

    private ReportPurposeCatalogue(string version, IEnumerable<ReportPurpose> all)
    {
        Version = version;
        _versions = all.GroupBy(p => p.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.EffectiveFrom).ToList(), StringComparer.Ordinal);
    }

    public string Version { get; }

    public static ReportPurposeCatalogue LoadDefault() => Default.Value;

    /// <summary>The version of <paramref name="id"/> in force on <paramref name="on"/>; null when unknown or not yet in force.</summary>
    public ReportPurpose? Find(string? id, DateOnly on)
    {
        if (id is null || !_versions.TryGetValue(id, out var versions)) return null;
        return versions.LastOrDefault(v => v.EffectiveFrom <= on);
    }

    public IReadOnlyList<ReportPurpose> InForce(DateOnly on) =>
        _versions.Keys.Select(id => Find(id, on)).OfType<ReportPurpose>().ToList();

    public static ReportPurposeCatalogue Parse(Stream json)
    {
        var dto = JsonSerializer.Deserialize<CatalogueDto>(json, Options) ?? throw new InvalidDataException("Empty report purposes.");
        if (dto.Purposes is not { Count: > 0 }) throw new InvalidDataException("Report purposes: at least one purpose is required.");
        return new ReportPurposeCatalogue(dto.Version ?? "", dto.Purposes.Select(p =>
        {
            if (string.IsNullOrWhiteSpace(p.Id) || string.IsNullOrWhiteSpace(p.NameZh)) throw new InvalidDataException("Report purpose: id and nameZh are required.");
            if (p.LookbackMonths is < 1 or > 120) throw new InvalidDataException($"Report purpose {p.Id}: lookbackMonths must be 1-120.");
            return new ReportPurpose(p.Id, DateOnly.Parse(p.EffectiveFrom ?? "2000-01-01", System.Globalization.CultureInfo.InvariantCulture),
                p.NameZh, p.NameEn ?? p.Id, p.ReplacesZh ?? p.NameZh, p.ReplacesEn ?? p.NameEn ?? p.Id,
                p.Departments ?? [], p.Sectors ?? [], p.BasisKeywords ?? [], p.ListTypes ?? [], p.LookbackMonths);
        }));
    }

    private sealed record CatalogueDto(string? Version, List<PurposeDto>? Purposes);

    private sealed record PurposeDto(string Id, string? EffectiveFrom, string NameZh, string? NameEn, string? ReplacesZh, string? ReplacesEn,
        List<string>? Departments, List<string>? Sectors, List<string>? BasisKeywords, List<string>? ListTypes, int LookbackMonths);
}
