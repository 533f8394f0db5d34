using System.Text.Json.Serialization;

namespace Xinyong.Core.Catalogue;

/// <summary>
/// One entry of the collection catalogue (归集目录): a record type, its fields and its validation rules.
/// Entries are data (JSON), shipped for the national penalty and licence formats and editable by the credit office.
/// </summary>
public sealed class RecordType
{
    public required string Code { get; init; }
    public int Version { get; init; } = 1;
    public required string NameZh { get; init; }
    public required string NameEn { get; init; }
    public required string NationalCategory { get; init; }

    /// <summary>Decisions must be online within this many working days of the decision date.</summary>
    public int PublicationDeadlineWorkingDays { get; init; } = 7;

    /// <summary>Field names forming the business key; "A|B" means A, or B when A is empty.</summary>
    public required IReadOnlyList<string> BusinessKey { get; init; }
    public required string DecisionDate { get; init; }
    public required string DecisionNumber { get; init; }
    public string? Amount { get; init; }
    public required AuthorityFields Authority { get; init; }
    public required SubjectFields Subject { get; init; }
    public required IReadOnlyList<FieldDefinition> Fields { get; init; }
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];
    public IReadOnlyList<RuleDefinition> Rules { get; init; } = [];

    private Dictionary<string, int>? _index;

    /// <summary>Position of a field in <see cref="Fields"/>, or -1.</summary>
    public int IndexOf(string fieldName)
    {
        _index ??= Fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        return _index.TryGetValue(fieldName, out var i) ? i : -1;
    }

    public FieldDefinition Field(string fieldName)
    {
        var i = IndexOf(fieldName);
        return i >= 0 ? Fields[i] : throw new KeyNotFoundException($"Record type '{Code}' has no field '{fieldName}'.");
    }
}

public sealed class AuthorityFields
{
    public required string Name { get; init; }
    public required string Code { get; init; }
}

public sealed class SubjectFields
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string CreditCode { get; init; }
    public required string IdType { get; init; }
    public required string IdNumber { get; init; }
    public required string LegalRepresentative { get; init; }

    /// <summary>Legacy identifier columns and the identifier scheme each holds (reg, org, tax, inst, soc).</summary>
    public IReadOnlyDictionary<string, string> LegacyCodes { get; init; } = new Dictionary<string, string>();
}

[JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
public enum FieldType { Text, Date, Decimal, Enum, MultiEnum, Code }

public sealed class FieldDefinition
{
    public required string Name { get; init; }
    public required string LabelZh { get; init; }
    public required string LabelEn { get; init; }
    public FieldType Type { get; init; } = FieldType.Text;
    public bool Required { get; init; }
    public int? MaxLength { get; init; }

    /// <summary>For code fields: uscc, org, reg or idcard.</summary>
    public string? CodeKind { get; init; }

    /// <summary>Personal data of a natural person: masked on public surfaces.</summary>
    public bool Personal { get; init; }

    /// <summary>For enums: canonical value -> accepted synonyms (national codes, older wordings).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Values { get; init; }
    public string? Separators { get; init; }
    public string? Unit { get; init; }
    public int? Scale { get; init; }
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public bool NotInFuture { get; init; }

    /// <summary>Older national field names and the column headings departments commonly export.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string Label(bool english) => english ? LabelEn : LabelZh;
}

[JsonConverter(typeof(JsonStringEnumConverter<RuleKind>))]
public enum RuleKind { RequiredWhen, AnyOf, DateNotBefore }

/// <summary>A cross-field rule. Conditions are "whenField equals/notEquals/contains value".</summary>
public sealed class RuleDefinition
{
    public RuleKind Kind { get; init; }
    public string? Field { get; init; }
    public IReadOnlyList<string>? Fields { get; init; }
    public string? Other { get; init; }
    public string? WhenField { get; init; }
    public string? EqualsValue { get; init; }
    public string? NotEquals { get; init; }
    public string? Contains { get; init; }
}
