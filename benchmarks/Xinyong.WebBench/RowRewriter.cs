using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xinyong.Core.Catalogue;

namespace Xinyong.WebBench;

/// <summary>
/// Adjusts a generated CSV row before it is validated, so that the stored record is still exactly what the platform
/// would store for such a row (validation, business key and content hash run afterwards):
/// <list type="bullet">
/// <item>the generator covers six years; decisions are stretched over <c>from</c>..yesterday, every date of the row
/// (validity, publicity end, the inspection date in the facts) moving with the decision date, and decision numbers are
/// renumbered per prefix and year so they stay unique;</item>
/// <item>a share of enterprises registered as "昆山X有限公司" are renamed "X（昆山）有限公司", the other common shape of
/// Chinese company names, so that the search sees bracketed names (same subject in every row: decided by its code).</item>
/// </list>
/// </summary>
internal sealed partial class RowRewriter
{
    private static readonly string[] Places = ["昆山", "苏州", "江苏"];
    private static readonly string[] Forms = ["股份有限公司", "有限责任公司", "有限公司"];
    private const string NoExpiry = "2099-12-31";
    private const string Enterprise = "法人及非法人组织";

    private readonly int _name, _kind, _uscc, _number, _date, _facts;
    private readonly int[] _otherDates;
    private readonly DateOnly _until;
    private readonly double _scale;
    private readonly double _bracketShare;
    private readonly int _span;
    private readonly Random _rng;
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly StringBuilder _sb = new(64);

    public RowRewriter(RecordType type, IReadOnlyList<string> header, DateOnly from, DateOnly until, double bracketShare, int seed)
    {
        _rng = new Random(seed);
        _span = until.DayNumber - from.DayNumber;
        int Col(string field) => IndexOf(header, field);
        _name = Col(type.Subject.Name);
        _kind = Col(type.Subject.Kind);
        _uscc = Col(type.Subject.CreditCode);
        _number = Col(type.DecisionNumber);
        _date = Col(type.DecisionDate);
        _facts = header.ToList().IndexOf("CF_SY");
        _otherDates = type.Fields.Where(f => f.Type == FieldType.Date && f.Name != type.DecisionDate)
            .Select(f => header.ToList().IndexOf(f.Name)).Where(i => i >= 0).ToArray();
        _until = until;
        // The generator's window: the six years before `until` (DemoDataGenerator.YearsCovered).
        var generatorFirst = until.AddYears(-6).AddDays(1);
        _scale = (double)(until.DayNumber - from.DayNumber) / (until.DayNumber - generatorFirst.DayNumber);
        _bracketShare = bracketShare;
    }

    public void Rewrite(string?[] cells)
    {
        var original = DateOnly.ParseExact(cells[_date]!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Each generated day covers `scale` days of the wider window: a uniform draw inside it keeps every date in use.
        var stretched = _until.AddDays(-(int)Math.Min(_span, (_until.DayNumber - original.DayNumber + _rng.NextDouble()) * _scale));
        var delta = stretched.DayNumber - original.DayNumber;
        cells[_date] = Iso(stretched);
        foreach (var c in _otherDates)
        {
            if (cells[c] is { Length: 10 } d && d != NoExpiry)
            {
                cells[c] = Iso(DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(delta));
            }
        }
        if (_facts >= 0 && cells[_facts] is { } facts && delta != 0)
        {
            cells[_facts] = ChineseDate().Replace(facts, m =>
            {
                var d = new DateOnly(Int(m.Groups[1].Value), Int(m.Groups[2].Value), Int(m.Groups[3].Value)).AddDays(delta);
                return string.Create(CultureInfo.InvariantCulture, $"{d.Year}年{d.Month}月{d.Day}日");
            });
        }
        cells[_number] = Renumber(cells[_number]!, stretched.Year);

        if (cells[_kind] == Enterprise && cells[_uscc] is { Length: 18 } uscc && Bucket(uscc, 1) < _bracketShare
            && Bracketed(cells[_name]!) is { } renamed)
        {
            var old = cells[_name]!;
            cells[_name] = renamed;
            if (_facts >= 0 && cells[_facts] is { } f) cells[_facts] = f.Replace(old, renamed, StringComparison.Ordinal);
        }
    }

    /// <summary>"昆山华泰电子科技有限公司" becomes "华泰电子科技（昆山）有限公司"; null when the name has no such shape.</summary>
    public static string? Bracketed(string name)
    {
        var place = Places.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
        var form = Forms.FirstOrDefault(f => name.EndsWith(f, StringComparison.Ordinal));
        if (place is null || form is null || name.Length <= place.Length + form.Length + 1) return null;
        return string.Concat(name[place.Length..^form.Length], "（", place, "）", form);
    }

    /// <summary>A stable share in [0, 1) per code and purpose (string.GetHashCode differs per process).</summary>
    public static double Bucket(string code, int salt)
    {
        var h = 2166136261u ^ (uint)salt;
        foreach (var c in code) h = (h ^ c) * 16777619u;
        h ^= h >> 15;
        h *= 0x2c1b3c6du;
        h ^= h >> 12;
        return (h % 100_000) / 100_000.0;
    }

    private string Renumber(string number, int year)
    {
        var open = number.IndexOf('〔', StringComparison.Ordinal);
        var prefix = open > 0 ? number[..open] : number;
        var key = string.Concat(prefix, "|", year.ToString(CultureInfo.InvariantCulture));
        var n = _numbers.GetValueOrDefault(key) + 1;
        _numbers[key] = n;
        _sb.Clear().Append(prefix).Append('〔').Append(year).Append('〕').Append(n).Append('号');
        return _sb.ToString();
    }

    private static int IndexOf(IReadOnlyList<string> header, string field)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == field) return i;
        }
        throw new InvalidOperationException($"The generated CSV has no column {field}.");
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d{4})年(\d{1,2})月(\d{1,2})日")]
    private static partial Regex ChineseDate();
}
