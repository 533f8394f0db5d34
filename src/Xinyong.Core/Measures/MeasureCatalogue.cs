using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Xinyong.Core.Lists;

namespace Xinyong.Core.Measures;

/// <summary>
/// One version of one measure of the joint reward / punishment catalogue (联合奖惩措施清单): what is done, on what legal
/// basis, by which departments, when a subject is on which lists, in which kinds of matter, and whether it reaches the
/// legal representative, principal or actual controller of a listed entity.
/// </summary>
public sealed record Measure(
    string Id,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveUntil,
    MeasureKind Kind,
    string Nature,
    string TextZh,
    string? TextEn,
    string LegalBasis,
    IReadOnlyList<string> Departments,
    IReadOnlyList<string> ListTypes,
    IReadOnlyList<string> MatterKinds,
    IReadOnlyList<string> ExtendsTo)
{
    /// <summary>Department code meaning "every department that handles such matters" (各有关部门).</summary>
    public const string AllDepartments = "*";

    /// <summary>In force on <paramref name="day"/>: from EffectiveFrom (inclusive) to EffectiveUntil (exclusive).</summary>
    public bool InForceOn(DateOnly day) => EffectiveFrom <= day && (EffectiveUntil is null || EffectiveUntil > day);

    public bool ImplementedBy(string departmentCode) =>
        Departments.Contains(AllDepartments, StringComparer.Ordinal) || Departments.Contains(departmentCode, StringComparer.Ordinal);

    public bool AppliesTo(string matterKind) => MatterKinds.Contains(matterKind, StringComparer.Ordinal);

    public bool TriggeredBy(string listType) => ListTypes.Contains(listType, StringComparer.Ordinal);

    public bool Reaches(string role) => ExtendsTo.Contains(role, StringComparer.Ordinal);
}

/// <summary>A problem with one measure of a catalogue being loaded or imported (row = spreadsheet row when imported).</summary>
public sealed record CatalogueIssue(long? Row, string? MeasureId, string Field, string Zh, string En);

/// <summary>A catalogue that failed validation: every problem found, not only the first.</summary>
public sealed class CatalogueInvalidException(IReadOnlyList<CatalogueIssue> issues)
    : Exception("Measure catalogue: " + string.Join("; ", issues.Take(5).Select(i => $"{i.MeasureId ?? "row " + i.Row}: {i.En}")))
{
    public IReadOnlyList<CatalogueIssue> Issues { get; } = issues;
}

/// <summary>
/// A version of the measure catalogue: its version label, the day it was issued, and every version of every measure
/// (a measure changed by a later document appears again with a later EffectiveFrom). The shipped starter catalogue is
/// measure-catalogue.json; staff replace it by importing a spreadsheet, which becomes a new stored version.
/// </summary>
public sealed class MeasureCatalogue
{
    public const string DefaultResourceName = "Xinyong.Core.Measures.measure-catalogue.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    private MeasureCatalogue(string version, DateOnly issuedOn, IReadOnlyList<Measure> measures)
    {
        Version = version;
        IssuedOn = issuedOn;
        All = measures;
    }

    public string Version { get; }
    public DateOnly IssuedOn { get; }

    /// <summary>Every version of every measure, in catalogue order.</summary>
    public IReadOnlyList<Measure> All { get; }

    /// <summary>The measures in force on <paramref name="day"/>.</summary>
    public IEnumerable<Measure> InForce(DateOnly day) => All.Where(m => m.InForceOn(day));

    /// <summary>The version of measure <paramref name="id"/> in force on <paramref name="day"/>.</summary>
    public Measure? Find(string id, DateOnly day) => All.FirstOrDefault(m => m.Id == id && m.InForceOn(day));

    public static MeasureCatalogue LoadDefault(ListTypeCatalogue types, IReadOnlyCollection<string> departmentCodes)
    {
        using var s = typeof(MeasureCatalogue).Assembly.GetManifestResourceStream(DefaultResourceName)
                      ?? throw new InvalidOperationException("measure-catalogue.json is not embedded.");
        using var reader = new StreamReader(s);
        return Parse(reader.ReadToEnd(), types, departmentCodes);
    }

    public static MeasureCatalogue Parse(string json, ListTypeCatalogue types, IReadOnlyCollection<string> departmentCodes)
    {
        var dto = JsonSerializer.Deserialize<CatalogueDto>(json, Options) ?? throw new InvalidDataException("Empty measure catalogue.");
        return Build(dto.Version, dto.IssuedOn, (dto.Measures ?? []).Select(m => (Row: (long?)null, Dto: m)).ToList(), types, departmentCodes);
    }

    /// <summary>
    /// Validates and builds a catalogue; refuses with every problem found. Legal basis is required for every measure
    /// (国办发〔2020〕49号: punishments only from a published list with a legal basis); rewards are triggered only by red
    /// lists, punishments only by black or watch lists.
    /// </summary>
    public static MeasureCatalogue Build(string? version, DateOnly? issuedOn, IReadOnlyList<(long? Row, MeasureDto Dto)> rows,
        ListTypeCatalogue types, IReadOnlyCollection<string> departmentCodes)
    {
        var issues = new List<CatalogueIssue>();
        if (string.IsNullOrWhiteSpace(version)) issues.Add(new(null, null, "version", "请填写清单版本号。", "The catalogue needs a version label."));
        if (issuedOn is null) issues.Add(new(null, null, "issuedOn", "请填写清单发布日期。", "The catalogue needs an issue date."));
        if (rows.Count == 0) issues.Add(new(null, null, "measures", "清单中没有措施。", "The catalogue has no measures."));
        var known = new HashSet<string>(departmentCodes, StringComparer.Ordinal);
        var measures = new List<Measure>();
        foreach (var (row, m) in rows)
        {
            var id = m.Id?.Trim();
            var before = issues.Count;
            void Issue(string field, string zh, string en) => issues.Add(new(row, id, field, zh, en));
            if (string.IsNullOrEmpty(id)) Issue("id", "措施编号为空。", "The measure has no id.");
            if (m.EffectiveFrom is null) Issue("effectiveFrom", "请填写生效日期。", "State the date the measure takes effect.");
            if (m.EffectiveUntil is { } until && m.EffectiveFrom is { } from && until <= from)
                Issue("effectiveUntil", "失效日期必须晚于生效日期。", "The end date must be after the start date.");
            var kind = MeasureKinds.Parse(m.Kind);
            if (kind is null) Issue("kind", $"类别“{m.Kind}”无效，应为“奖励”或“惩戒”。", $"Kind '{m.Kind}' must be reward or punishment.");
            var nature = MeasureNatures.Find(m.Nature);
            if (nature is null) Issue("nature", $"措施性质“{m.Nature}”无效，应为行政性、行业性、市场性或社会性。",
                $"Nature '{m.Nature}' must be administrative, industry, market or social.");
            if (string.IsNullOrWhiteSpace(m.TextZh)) Issue("textZh", "请填写措施内容。", "State what the measure does.");
            if (string.IsNullOrWhiteSpace(m.LegalBasis))
                Issue("legalBasis", "每项措施必须注明法律、法规或政策文件依据。", "Every measure needs a legal basis (law, regulation or policy document).");
            var departments = Clean(m.Departments);
            if (departments.Count == 0) Issue("departments", "请填写实施部门。", "Name the implementing department(s).");
            foreach (var d in departments.Where(d => d != Measure.AllDepartments && !known.Contains(d)))
                Issue("departments", $"未知的实施部门代码“{d}”。", $"Unknown department code '{d}'.");
            var listTypes = Clean(m.ListTypes);
            if (listTypes.Count == 0) Issue("listTypes", "请填写触发措施的名单类型。", "Name the list type(s) that trigger the measure.");
            foreach (var lt in listTypes)
            {
                var type = types.Latest(lt);
                if (type is null) Issue("listTypes", $"未知的名单类型“{lt}”。", $"Unknown list type '{lt}'.");
                else if (kind == MeasureKind.Reward && type.Kind != ListKind.Red)
                    Issue("listTypes", $"激励措施只能由红名单触发，“{type.NameZh}”不是红名单。", $"A reward is triggered only by red lists; '{type.NameEn}' is not one.");
                else if (kind == MeasureKind.Punishment && type.Kind == ListKind.Red)
                    Issue("listTypes", $"惩戒措施不能由红名单“{type.NameZh}”触发。", $"A punishment cannot be triggered by the red list '{type.NameEn}'.");
            }
            var matters = Clean(m.MatterKinds).Select(x => (Text: x, Term: MatterKinds.Find(x))).ToList();
            if (matters.Count == 0) Issue("matterKinds", "请填写适用事项。", "Name the kinds of matter the measure applies to.");
            foreach (var x in matters.Where(x => x.Term is null)) Issue("matterKinds", $"未知的事项类别“{x.Text}”。", $"Unknown kind of matter '{x.Text}'.");
            var roles = Clean(m.ExtendsTo).Select(x => (Text: x, Term: SubjectRoles.Find(x))).ToList();
            foreach (var x in roles.Where(x => x.Term is null))
                Issue("extendsTo", $"未知的延伸对象“{x.Text}”，应为法定代表人、主要负责人或实际控制人。", $"Unknown role '{x.Text}'.");
            if (issues.Count > before) continue;
            measures.Add(new Measure(id!, m.EffectiveFrom!.Value, m.EffectiveUntil, kind!.Value, nature!.Code, m.TextZh!.Trim(),
                string.IsNullOrWhiteSpace(m.TextEn) ? null : m.TextEn.Trim(), m.LegalBasis!.Trim(), departments, listTypes,
                matters.Select(x => x.Term!.Code).Distinct().ToList(), roles.Select(x => x.Term!.Code).Distinct().ToList()));
        }
        foreach (var g in measures.GroupBy(x => x.Id, StringComparer.Ordinal))
        {
            var ordered = g.OrderBy(x => x.EffectiveFrom).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var prev = ordered[i - 1];
                if (prev.EffectiveUntil is null || prev.EffectiveUntil > ordered[i].EffectiveFrom)
                {
                    issues.Add(new(null, g.Key, "effectiveFrom", $"措施 {g.Key} 的两个版本有效期重叠（{ordered[i].EffectiveFrom:yyyy-MM-dd}）；请为旧版本填写失效日期。",
                        $"Two versions of measure {g.Key} overlap ({ordered[i].EffectiveFrom:yyyy-MM-dd}); give the older one an end date."));
                }
            }
        }
        if (issues.Count > 0) throw new CatalogueInvalidException(issues);
        return new MeasureCatalogue(version!.Trim(), issuedOn!.Value, measures);
    }

    public string ToJson() => JsonSerializer.Serialize(new CatalogueDto
    {
        Version = Version,
        IssuedOn = IssuedOn,
        Measures = All.Select(m => new MeasureDto
        {
            Id = m.Id, EffectiveFrom = m.EffectiveFrom, EffectiveUntil = m.EffectiveUntil, Kind = m.Kind.ToCode(), Nature = m.Nature,
            TextZh = m.TextZh, TextEn = m.TextEn, LegalBasis = m.LegalBasis, Departments = [.. m.Departments], ListTypes = [.. m.ListTypes],
            MatterKinds = [.. m.MatterKinds], ExtendsTo = [.. m.ExtendsTo],
        }).ToList(),
    }, Options);

    private static List<string> Clean(IEnumerable<string>? values) =>
        (values ?? []).Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    public sealed class CatalogueDto
    {
        public string? Version { get; set; }
        public DateOnly? IssuedOn { get; set; }
        public string? Comment { get; set; }
        public List<MeasureDto>? Measures { get; set; }
    }

    /// <summary>One measure as written in JSON or read from a spreadsheet row, before validation.</summary>
    public sealed class MeasureDto
    {
        public string? Id { get; set; }
        public DateOnly? EffectiveFrom { get; set; }
        public DateOnly? EffectiveUntil { get; set; }
        public string? Kind { get; set; }
        public string? Nature { get; set; }
        public string? TextZh { get; set; }
        public string? TextEn { get; set; }
        public string? LegalBasis { get; set; }
        public List<string>? Departments { get; set; }
        public List<string>? ListTypes { get; set; }
        public List<string>? MatterKinds { get; set; }
        public List<string>? ExtendsTo { get; set; }
    }
}
