using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xinyong.Core.Lists;

/// <summary>Red lists reward, black lists punish, watch lists mean closer supervision.</summary>
public enum ListKind
{
    Red = 1,
    Black = 2,
    Watch = 3,
}

public static class ListKinds
{
    public const string Red = "red";
    public const string Black = "black";
    public const string Watch = "watch";

    public static string ToCode(this ListKind kind) => kind switch
    {
        ListKind.Red => Red,
        ListKind.Black => Black,
        ListKind.Watch => Watch,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ListKind FromCode(string code) => code switch
    {
        Red => ListKind.Red,
        Black => ListKind.Black,
        Watch => ListKind.Watch,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown list kind."),
    };

    public static string ToChinese(this ListKind kind) => kind switch
    {
        ListKind.Red => "红名单",
        ListKind.Black => "黑名单",
        _ => "重点关注名单",
    };
}

/// <summary>
/// One version of a list type: who may designate, on what legal basis, by which criteria, for how long, how a subject
/// leaves the list and what it can do about it. Periods and windows are data (list-types.json), not code.
/// </summary>
public sealed record ListType(
    string Id,
    DateOnly EffectiveFrom,
    ListKind Kind,
    string NameZh,
    string NameEn,
    IReadOnlyList<string> Departments,
    string LegalBasisZh,
    string LegalBasisEn,
    string CriteriaZh,
    string CriteriaEn,
    int? PeriodMonths,
    string ExitZh,
    string ExitEn,
    string RemediesZh,
    string RemediesEn,
    int ObjectionWorkingDays,
    bool DesignatedElsewhere)
{
    public bool MayBeDesignatedBy(string departmentCode) => Departments.Contains(departmentCode, StringComparer.Ordinal);

    /// <summary>Exclusive end of a listing published on <paramref name="from"/>; null = until the exit conditions are met.</summary>
    public DateOnly? ListedUntil(DateOnly from) => PeriodMonths is { } m ? from.AddMonths(m) : null;
}

/// <summary>The list types in force, loaded from list-types.json (embedded) or another file in the same format.</summary>
public sealed class ListTypeCatalogue
{
    public const string DefaultResourceName = "Xinyong.Core.Lists.list-types.json";

    private static readonly Lazy<ListTypeCatalogue> Default = new(() =>
    {
        using var s = typeof(ListTypeCatalogue).Assembly.GetManifestResourceStream(DefaultResourceName)
                      ?? throw new InvalidOperationException("list-types.json is not embedded.");
        return Parse(s);
    });

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly Dictionary<string, List<ListType>> _versions;

    private ListTypeCatalogue(string version, List<ListType> all)
    {
        Version = version;
        All = all;
        _versions = all.GroupBy(t => t.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.EffectiveFrom).ToList(), StringComparer.Ordinal);
    }

    public string Version { get; }

    /// <summary>Every version of every type.</summary>
    public IReadOnlyList<ListType> All { get; }

    public IEnumerable<string> Ids => _versions.Keys;

    public static ListTypeCatalogue LoadDefault() => Default.Value;

    /// <summary>The version of <paramref name="id"/> in force on <paramref name="on"/>; null when unknown or not yet in force.</summary>
    public ListType? Find(string id, DateOnly on)
    {
        if (!_versions.TryGetValue(id, out var versions)) return null;
        ListType? found = null;
        foreach (var v in versions)
        {
            if (v.EffectiveFrom <= on) found = v;
        }
        return found;
    }

    /// <summary>The latest version of <paramref name="id"/>, for labels of entries made under any version.</summary>
    public ListType? Latest(string id) => _versions.TryGetValue(id, out var v) ? v[^1] : null;

    /// <summary>The current version of every type, on <paramref name="on"/>.</summary>
    public IReadOnlyList<ListType> InForce(DateOnly on) =>
        _versions.Keys.Select(id => Find(id, on)).OfType<ListType>().OrderBy(t => t.Kind).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();

    public static ListTypeCatalogue Parse(Stream json) =>
        FromDto(JsonSerializer.Deserialize<CatalogueDto>(json, Options) ?? throw new InvalidDataException("Empty list types."));

    public static ListTypeCatalogue Parse(string json) =>
        FromDto(JsonSerializer.Deserialize<CatalogueDto>(json, Options) ?? throw new InvalidDataException("Empty list types."));

    private static ListTypeCatalogue FromDto(CatalogueDto dto)
    {
        if (dto.Types is not { Count: > 0 }) throw new InvalidDataException("List types: at least one type is required.");
        var all = new List<ListType>();
        foreach (var t in dto.Types)
        {
            var id = t.Id?.Trim();
            if (string.IsNullOrEmpty(id)) throw new InvalidDataException("List types: a type has no id.");
            string Required(string? value, string field) =>
                string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"List type {id}: '{field}' is required.") : value.Trim();
            if (t.Kind is null) throw new InvalidDataException($"List type {id}: 'kind' must be red, black or watch.");
            if (t.Departments is not { Count: > 0 }) throw new InvalidDataException($"List type {id}: at least one designating department is required.");
            if (t.PeriodMonths is <= 0) throw new InvalidDataException($"List type {id}: periodMonths must be positive or null.");
            if (t.ObjectionWorkingDays is < 0 or > 60) throw new InvalidDataException($"List type {id}: objectionWorkingDays must be between 0 and 60.");
            all.Add(new ListType(id, t.EffectiveFrom ?? throw new InvalidDataException($"List type {id}: 'effectiveFrom' is required."),
                t.Kind.Value, Required(t.NameZh, "nameZh"), Required(t.NameEn, "nameEn"), t.Departments,
                Required(t.LegalBasisZh, "legalBasisZh"), Required(t.LegalBasisEn, "legalBasisEn"),
                Required(t.CriteriaZh, "criteriaZh"), Required(t.CriteriaEn, "criteriaEn"), t.PeriodMonths,
                Required(t.ExitZh, "exitZh"), Required(t.ExitEn, "exitEn"), Required(t.RemediesZh, "remediesZh"), Required(t.RemediesEn, "remediesEn"),
                t.ObjectionWorkingDays ?? 0, t.DesignatedElsewhere));
        }
        var duplicate = all.GroupBy(t => (t.Id, t.EffectiveFrom)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"List type {duplicate.Key.Id}: two versions take effect on {duplicate.Key.EffectiveFrom:yyyy-MM-dd}.");
        return new ListTypeCatalogue(dto.Version ?? "unversioned", all);
    }

    private sealed class CatalogueDto
    {
        public string? Version { get; set; }
        public List<TypeDto>? Types { get; set; }
    }

    private sealed class TypeDto
    {
        public string? Id { get; set; }
        public DateOnly? EffectiveFrom { get; set; }
        public ListKind? Kind { get; set; }
        public string? NameZh { get; set; }
        public string? NameEn { get; set; }
        public List<string>? Departments { get; set; }
        public string? LegalBasisZh { get; set; }
        public string? LegalBasisEn { get; set; }
        public string? CriteriaZh { get; set; }
        public string? CriteriaEn { get; set; }
        public int? PeriodMonths { get; set; }
        public string? ExitZh { get; set; }
        public string? ExitEn { get; set; }
        public string? RemediesZh { get; set; }
        public string? RemediesEn { get; set; }
        public int? ObjectionWorkingDays { get; set; }
        public bool DesignatedElsewhere { get; set; }
    }
}
