using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Subjects;
using Xinyong.Core.Normalization;
using Xinyong.Identifiers;

namespace Xinyong.Core.Ingestion;

/// <summary>
/// Validates and normalises one row against its catalogue entry. Every problem in the row is reported
/// (not only the first), each naming the field, the value and what to do about it. One instance serves one reader on
/// one thread (it keeps scratch buffers between rows).
/// </summary>
public sealed class RowValidator
{
    private readonly RecordType _type;
    private readonly HeaderMapping _mapping;
    private readonly IReadOnlyList<string> _header;
    private readonly DateOnly _today;
    private readonly Dictionary<string, string>[] _enumLookup;
    private readonly int _decisionDate;
    private readonly int _subjectKind;
    private readonly int[][] _keyParts;
    private readonly string?[] _keyScratch;
    private readonly int[] _idTypeOf;
    private readonly CompiledRule[] _rules;
    private readonly Dictionary<(string Kind, string Cell), IdentifierCheck> _codeChecks = [];
    private const int CodeCheckCacheSize = 50_000;

    public RowValidator(RecordType type, HeaderMapping mapping, IReadOnlyList<string> header, DateOnly today)
    {
        _type = type;
        _mapping = mapping;
        _header = header;
        _today = today;
        _enumLookup = type.Fields.Select(BuildEnumLookup).ToArray();
        _decisionDate = type.IndexOf(type.DecisionDate);
        _subjectKind = type.IndexOf(type.Subject.Kind);
        _keyParts = type.BusinessKey.Select(k => k.Split('|').Select(type.IndexOf).ToArray()).ToArray();
        _keyScratch = new string?[_keyParts.Length * 2];
        _idTypeOf = type.Fields.Select(f => f.CodeKind == "idcard" ? type.IndexOf(f.Name.Replace("ZJHM", "ZJLX", StringComparison.Ordinal)) : -1).ToArray();
        _rules = type.Rules.Select(Compile).ToArray();
    }

    public RecordType Type => _type;

    public ValidatedRow Validate(long rowNumber, IReadOnlyList<string?> cells)
    {
        var fields = _type.Fields;
        var values = new string?[fields.Count];
        var raw = new string?[_header.Count];
        for (var c = 0; c < raw.Length && c < cells.Count; c++) raw[c] = cells[c];
        var row = new ValidatedRow { RowNumber = rowNumber, Values = values, Raw = new SourceCells(_header, raw) };

        for (var i = 0; i < fields.Count; i++)
        {
            var col = _mapping.ColumnOfField[i];
            var cell = col >= 0 && col < cells.Count ? cells[col] : null;
            if (cell is not null) cell = ChineseText.CleanCell(cell);
            if (string.IsNullOrEmpty(cell))
            {
                if (fields[i].Required) row.Errors.Add(Messages.Required(fields[i]));
                continue;
            }
            values[i] = NormaliseField(i, cell, row);
        }
        // ID-number fields depend on the ID-type field, so they are checked after all fields are read.
        for (var i = 0; i < fields.Count; i++)
        {
            if (_idTypeOf[i] < 0 && fields[i].CodeKind == "idcard" && values[i] is not null) CheckResidentId(i, row);
            else if (_idTypeOf[i] >= 0 && values[i] is not null)
            {
                var idType = values[_idTypeOf[i]];
                if (idType is null || idType.Contains("身份证", StringComparison.Ordinal)) CheckResidentId(i, row);
            }
        }

        ApplyRules(row);
        row.SubjectKind = SubjectKinds.FromNationalCategory(_subjectKind >= 0 ? values[_subjectKind] : null);
        if (row.IsValid)
        {
            row.DecisionDate = TryIsoDate(values[_decisionDate]!, out var decided) ? decided
                : throw new InvalidOperationException($"row {row.RowNumber}: the decision date was validated but is not yyyy-MM-dd");
            row.BusinessKey = BuildBusinessKey(values);
            row.ContentHash = Hash(values);
        }
        return row;
    }

    private string? NormaliseField(int i, string cell, ValidatedRow row)
    {
        var f = _type.Fields[i];
        switch (f.Type)
        {
            case FieldType.Text:
                if (f.MaxLength is { } max && cell.Length > max)
                {
                    row.Errors.Add(Messages.TooLong(f, cell, max));
                    return null;
                }
                return cell;
            case FieldType.Date:
                if (TryParseDate(cell, out var d))
                {
                    if (f.NotInFuture && d > _today)
                    {
                        row.Errors.Add(Messages.FutureDate(f, cell, _today));
                        return null;
                    }
                    // A cell already written yyyy-MM-dd is its own normal form (most are): no new string for it.
                    return IsIsoDate(cell) ? cell : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
                row.Errors.Add(Messages.BadDate(f, cell));
                return null;
            case FieldType.Decimal:
                return NormaliseAmount(f, cell, row);
            case FieldType.Enum:
            {
                var key = ChineseText.ToHalfWidth(cell).Trim();
                if (_enumLookup[i].TryGetValue(key, out var canonical)) return canonical;
                row.Errors.Add(Messages.BadEnum(f, cell));
                return null;
            }
            case FieldType.MultiEnum:
            {
                var parts = cell.Split((f.Separators ?? ";").ToCharArray(), StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var result = new List<string>(parts.Length);
                foreach (var p in parts)
                {
                    if (_enumLookup[i].TryGetValue(ChineseText.ToHalfWidth(p), out var canonical))
                    {
                        if (!result.Contains(canonical)) result.Add(canonical);
                    }
                    else
                    {
                        row.Errors.Add(Messages.BadEnum(f, p));
                        return null;
                    }
                }
                return result.Count == 0 ? null : string.Join(';', result);
            }
            case FieldType.Code:
                return NormaliseCode(f, cell, row);
            default:
                return cell;
        }
    }

    private string? NormaliseCode(FieldDefinition f, string cell, ValidatedRow row)
    {
        if (f.CodeKind is not ("uscc" or "org" or "reg")) return Identifier.Normalize(cell); // ID numbers: checked once the ID type is known
        // A subject's codes come back in row after row: each distinct cell is checked once (the check is immutable).
        if (!_codeChecks.TryGetValue((f.CodeKind, cell), out var check))
        {
            var value = Identifier.Normalize(cell);
            check = f.CodeKind switch
            {
                "uscc" => CreditCode.Validate(value),
                "org" => OrganizationCode.Validate(value),
                _ => RegistrationNumber.Validate(value),
            };
            if (_codeChecks.Count >= CodeCheckCacheSize) _codeChecks.Clear();
            _codeChecks[(f.CodeKind, cell)] = check;
        }
        if (!check.IsValid)
        {
            row.Errors.Add(Messages.BadCode(f, cell, check));
            return null;
        }
        foreach (var w in check.Issues)
        {
            row.Warnings.Add(new RowIssue(f.Name, cell, w.Code, $"{f.Name}（{f.LabelZh}）：{w.MessageZh}", $"{f.Name} ({f.LabelEn}): {w.MessageEn}"));
        }
        return check.Normalized;
    }

    private void CheckResidentId(int i, ValidatedRow row)
    {
        var f = _type.Fields[i];
        var check = ResidentId.Validate(row.Values[i], _today);
        if (!check.IsValid)
        {
            row.Errors.Add(Messages.BadCode(f, Masking.MaskResidentId(row.Values[i]), check));
            row.Values[i] = null;
        }
        else
        {
            row.Values[i] = check.Normalized;
        }
    }

    private static string? NormaliseAmount(FieldDefinition f, string cell, ValidatedRow row)
    {
        var s = ChineseText.ToHalfWidth(cell).Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (s.EndsWith("万元", StringComparison.Ordinal)) s = s[..^2];
        else if (s.EndsWith('元') || s.EndsWith("RMB", StringComparison.OrdinalIgnoreCase) || s.StartsWith('¥') || s.StartsWith('￥'))
        {
            row.Errors.Add(Messages.AmountInYuan(f, cell));
            return null;
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            row.Errors.Add(Messages.BadNumber(f, cell));
            return null;
        }
        if (f.Min is { } min && amount < min)
        {
            row.Errors.Add(Messages.AmountBelow(f, cell, min));
            return null;
        }
        if (f.Max is { } max && amount > max)
        {
            row.Errors.Add(Messages.AmountImplausible(f, cell, max));
            return null;
        }
        if (f.Scale is { } scale && amount.Scale > scale && decimal.Round(amount, scale) != amount)
        {
            row.Errors.Add(Messages.TooManyDecimals(f, cell, scale));
            return null;
        }
        return amount.ToString("0.######", CultureInfo.InvariantCulture);
    }

    /// <summary>A cross-field rule with its fields' positions worked out once, for the row loop.</summary>
    private sealed record CompiledRule(RuleDefinition Rule, int Field, int[] Fields, int Other, int When);

    private CompiledRule Compile(RuleDefinition rule) => new(rule,
        rule.Field is null ? -1 : _type.IndexOf(rule.Field),
        rule.Fields is null ? [] : rule.Fields.Select(_type.IndexOf).ToArray(),
        rule.Other is null ? -1 : _type.IndexOf(rule.Other),
        rule.WhenField is null ? -1 : _type.IndexOf(rule.WhenField));

    private void ApplyRules(ValidatedRow row)
    {
        // Plain loops over arrays: this runs for every row, and each lambda or interface enumerator is an allocation.
        var values = row.Values;
        foreach (var c in _rules)
        {
            var rule = c.Rule;
            if (!ConditionHolds(rule, c.When < 0 ? null : values[c.When])) continue;
            switch (rule.Kind)
            {
                case RuleKind.RequiredWhen:
                {
                    if (values[c.Field] is null && !HasError(row, rule.Field!))
                        row.Errors.Add(Messages.RequiredWhen(_type.Fields[c.Field], _type.Fields[c.When], rule));
                    break;
                }
                case RuleKind.AnyOf:
                {
                    bool any = false, erroneous = false;
                    for (var k = 0; k < c.Fields.Length; k++)
                    {
                        any |= values[c.Fields[k]] is not null;
                        erroneous |= HasError(row, rule.Fields![k]);
                    }
                    if (!any && !erroneous) row.Errors.Add(Messages.AnyOf(rule.Fields!.Select(_type.Field).ToList()));
                    break;
                }
                case RuleKind.DateNotBefore:
                {
                    var a = values[c.Field];
                    var b = values[c.Other];
                    if (a is not null && b is not null && string.CompareOrdinal(a, b) < 0)
                        row.Errors.Add(Messages.DateBefore(_type.Fields[c.Field], a, _type.Fields[c.Other], b));
                    break;
                }
            }
        }
    }

    private static bool HasError(ValidatedRow row, string field)
    {
        if (row.IsValid) return false;
        foreach (var e in row.Errors)
        {
            if (e.Field == field) return true;
        }
        return false;
    }

    /// <summary>Whether the rule applies, given the value of its condition field (<paramref name="v"/>; none when it has no condition).</summary>
    private static bool ConditionHolds(RuleDefinition rule, string? v)
    {
        if (rule.WhenField is null) return true;
        if (rule.EqualsValue is not null) return v == rule.EqualsValue;
        if (rule.NotEquals is not null) return v != rule.NotEquals;
        if (rule.Contains is not null) return v is not null && ContainsItem(v, rule.Contains);
        return v is not null;
    }

    /// <summary>Whether the ';'-separated list <paramref name="list"/> has <paramref name="item"/> as one of its items.</summary>
    private static bool ContainsItem(string list, string item)
    {
        foreach (var range in list.AsSpan().Split(';'))
        {
            if (list.AsSpan(range).SequenceEqual(item)) return true;
        }
        return false;
    }

    /// <summary>
    /// Each key part (the first of its alternatives that has a value, as its name key), joined by U+001F; a separator
    /// only follows text already written. Stored as the record's business key, so the definition is fixed. The parts
    /// are gathered in a scratch array and concatenated once (a StringBuilder per row before).
    /// </summary>
    private string BuildBusinessKey(string?[] values)
    {
        var parts = _keyScratch;
        var n = 0;
        var length = 0;
        foreach (var alternatives in _keyParts)
        {
            if (length > 0)
            {
                parts[n++] = KeySeparator;
                length++;
            }
            foreach (var idx in alternatives)
            {
                var v = values[idx];
                if (v is null) continue;
                var part = ChineseText.NameKey(v);
                parts[n++] = part;
                length += part.Length;
                break;
            }
        }
        return string.Concat(parts.AsSpan(0, n));
    }

    private const string KeySeparator = "\u001F";

    /// <summary>
    /// The row's content hash: SHA-256 of the UTF-8 of every normalised value followed by U+001F, first 16 bytes in hex.
    /// Stored with each record (an unchanged row is recognised by it), so the bytes hashed must never change. They are
    /// encoded straight into a stack (or pooled) buffer: one string per row less to build and collect.
    /// </summary>
    private static string Hash(string?[] values)
    {
        var max = 0;
        foreach (var v in values) max += (v is null ? 0 : Encoding.UTF8.GetMaxByteCount(v.Length)) + 1;
        byte[]? rented = null;
        var buffer = max <= 4096 ? stackalloc byte[4096] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = 0;
        foreach (var v in values)
        {
            if (v is not null) n += Encoding.UTF8.GetBytes(v, buffer[n..]);
            buffer[n++] = 0x1F;
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer[..n], hash);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyyMMdd", "yyyy.MM.dd", "yyyy.M.d", "yyyy年M月d日",
        "yyyy-MM-dd HH:mm:ss", "yyyy-M-d H:mm:ss", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm",
    ];

    public static bool TryParseDate(string cell, out DateOnly date)
    {
        if (IsIsoDate(cell))
        {
            // The usual form, read digit by digit (its digits and hyphens are checked): no format parsing per cell.
            return TryIsoDate(cell, out date);
        }
        var s = ChineseText.ToHalfWidth(cell).Trim();
        if (DateTime.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) && dt.Year >= 1949)
        {
            date = DateOnly.FromDateTime(dt);
            return true;
        }
        date = default;
        return false;
    }

    /// <summary>The date of a cell of the form yyyy-MM-dd (<see cref="IsIsoDate"/>), if it is a real day from 1949 on.</summary>
    private static bool TryIsoDate(string s, out DateOnly date)
    {
        int year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2);
        if (year >= 1949 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            date = new DateOnly(year, month, day);
            return true;
        }
        date = default;
        return false;
    }

    private static int Digits(string s, int start, int count)
    {
        var n = 0;
        for (var i = start; i < start + count; i++) n = n * 10 + (s[i] - '0');
        return n;
    }

    /// <summary>Ten characters, digits with a hyphen after the year and the month: yyyy-MM-dd (the value not yet checked).</summary>
    private static bool IsIsoDate(string s)
    {
        if (s.Length != 10 || s[4] != '-' || s[7] != '-') return false;
        for (var i = 0; i < 10; i++)
        {
            if (i is not (4 or 7) && !char.IsAsciiDigit(s[i])) return false;
        }
        return true;
    }

    private static Dictionary<string, string> BuildEnumLookup(FieldDefinition f)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (f.Values is null) return d;
        foreach (var (canonical, synonyms) in f.Values)
        {
            d[canonical] = canonical;
            foreach (var s in synonyms) d.TryAdd(s, canonical);
        }
        return d;
    }
}
