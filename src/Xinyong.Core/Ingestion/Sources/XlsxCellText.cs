using System.Globalization;
using System.Text;

namespace Xinyong.Core.Ingestion.Sources;

/// <summary>
/// How <see cref="XlsxTableReader"/> renders stored cell values as the text a clerk reads in Excel: numbers in invariant
/// culture without exponent (15 significant digits), integers without ".0", serial and ISO dates as "yyyy-MM-dd" (with
/// the time of day when there is one), and which number formats make a number a date at all.
/// </summary>
internal static class XlsxCellText
{
    /// <summary>Decodes the ST_Xstring escapes "_xHHHH_" Excel uses for control characters.</summary>
    internal static string DecodeEscapes(string value)
    {
        int at = value.IndexOf("_x", StringComparison.Ordinal);
        if (at < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, at);
        int i = at;
        while (i < value.Length)
        {
            if (value[i] == '_' && i + 6 < value.Length && value[i + 1] == 'x' && value[i + 6] == '_'
                && ushort.TryParse(value.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
            {
                sb.Append((char)code);
                i += 7;
            }
            else
            {
                sb.Append(value[i]);
                i++;
            }
        }

        return sb.ToString();
    }

    /// <summary>Renders a stored number as text: invariant culture, no exponent, at most 15 significant digits.</summary>
    internal static string FormatNumber(string raw)
    {
        ReadOnlySpan<char> span = raw.AsSpan().Trim();
        if (IsPlainInteger(span))
        {
            return span.Length == raw.Length ? raw : span.ToString();
        }

        if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value))
        {
            return raw;
        }

        if (value == 0)
        {
            return "0";
        }

        double abs = Math.Abs(value);
        if (abs is >= 1e-9 and < 1e28)
        {
            // The double -> decimal conversion rounds to 15 significant digits, which is what Excel displays.
            return ((decimal)value).ToString("0.############################", CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    internal static bool IsPlainInteger(ReadOnlySpan<char> span)
    {
        int start = span.Length > 0 && span[0] == '-' ? 1 : 0;
        if (span.Length == start || span.Length - start > 28)
        {
            return false;
        }

        if (span[start] == '0' && span.Length - start > 1)
        {
            return false; // leading zeros: let the general path normalise
        }

        for (int i = start; i < span.Length; i++)
        {
            if (span[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return !(start == 1 && span.Length == 2 && span[1] == '0');
    }

    internal static string FormatSerialDate(string raw, DateKind kind, bool date1904)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double serial)
            || !double.IsFinite(serial) || serial < 0 || serial >= 2958466)
        {
            return FormatNumber(raw);
        }

        long totalSeconds = (long)Math.Round(serial * 86400.0, MidpointRounding.AwayFromZero);
        long days = totalSeconds / 86400;
        long seconds = totalSeconds % 86400;

        if (kind == DateKind.Time && days == 0)
        {
            return TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        }

        DateTime epoch = date1904
            ? new DateTime(1904, 1, 1, 0, 0, 0, DateTimeKind.Unspecified)
            // 1900 system: serial 1 is 1900-01-01, and Excel counts a non-existent 1900-02-29 (serial 60).
            : days < 61
                ? new DateTime(1899, 12, 31, 0, 0, 0, DateTimeKind.Unspecified)
                : new DateTime(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);

        DateTime date = epoch.AddDays(days);
        if (date.Year > 9999)
        {
            return FormatNumber(raw);
        }

        if (kind == DateKind.Date || seconds == 0)
        {
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return date.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    internal static string FormatIsoDate(string raw)
    {
        string text = raw.Trim();
        if (TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"hh\:mm\:ss\.FFFFFFF", @"hh\:mm"], CultureInfo.InvariantCulture, out TimeSpan time)
            && !text.Contains('-', StringComparison.Ordinal))
        {
            return time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime value))
        {
            return value.TimeOfDay == TimeSpan.Zero
                ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return raw;
    }

    // ---------------------------------------------------------------- number formats

    internal enum DateKind : byte
    {
        None,
        Date,
        DateTime,
        Time,
    }

    internal static DateKind ClassifyBuiltIn(uint id) => id switch
    {
        >= 14 and <= 17 => DateKind.Date,
        22 => DateKind.DateTime,
        >= 18 and <= 21 or 45 or 47 => DateKind.Time,
        46 => DateKind.None, // [h]:mm:ss is a duration, not a point in time
        // Locale-dependent built-ins: in zh-CN these are 年/月/日 dates and 时/分/秒 times.
        >= 27 and <= 31 or 36 or >= 50 and <= 54 or 57 or 58 => DateKind.Date,
        >= 32 and <= 35 or 55 or 56 => DateKind.Time,
        _ => DateKind.None,
    };

    /// <summary>Classifies a custom number format code by the date/time tokens of its first section.</summary>
    internal static DateKind ClassifyFormatCode(string code)
    {
        bool date = false, time = false, month = false;
        for (int i = 0; i < code.Length; i++)
        {
            char ch = code[i];
            switch (ch)
            {
                case ';':
                    i = code.Length; // only the first (positive) section matters
                    break;
                case '"':
                    int close = code.IndexOf('"', i + 1);
                    i = close < 0 ? code.Length : close;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case '[':
                    int end = code.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        i = code.Length;
                        break;
                    }

                    ReadOnlySpan<char> inside = code.AsSpan(i + 1, end - i - 1);
                    if (IsElapsedToken(inside))
                    {
                        return DateKind.None; // [h]:mm etc. is a duration
                    }

                    i = end;
                    break;
                case 'G' or 'g' when string.Compare(code, i, "General", 0, 7, StringComparison.OrdinalIgnoreCase) == 0:
                    i += 6;
                    break;
                case 'E' or 'e' when i + 1 < code.Length && code[i + 1] is '+' or '-':
                    i++; // scientific exponent
                    break;
                case 'y' or 'Y' or 'd' or 'D' or 'e' or 'E' or 'g' or 'G':
                    date = true;
                    break;
                case 'h' or 'H' or 's' or 'S':
                    time = true;
                    break;
                case 'm' or 'M':
                    month = true;
                    break;
                case 'A' or 'a' when string.Compare(code, i, "AM/PM", 0, 5, StringComparison.OrdinalIgnoreCase) == 0
                                     || string.Compare(code, i, "A/P", 0, 3, StringComparison.OrdinalIgnoreCase) == 0:
                    time = true;
                    i += code[i + 1] == '/' ? 2 : 4;
                    break;
                case 'a' or 'A':
                    date = true; // "aaa"/"aaaa": weekday name in CJK formats
                    break;
            }
        }

        if (month && !time)
        {
            date = true; // "mmm", "m/d": m is the month unless next to hours/seconds
        }

        return date && time ? DateKind.DateTime : date ? DateKind.Date : time ? DateKind.Time : DateKind.None;
    }

    internal static bool IsElapsedToken(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return false;
        }

        char first = char.ToLowerInvariant(token[0]);
        if (first is not ('h' or 'm' or 's'))
        {
            return false;
        }

        foreach (char ch in token)
        {
            if (char.ToLowerInvariant(ch) != first)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Zero-based column index of a reference like "AB12"; -1 when it has no letters.</summary>
    internal static int ParseColumn(string reference)
    {
        int column = 0;
        int i = 0;
        for (; i < reference.Length; i++)
        {
            char ch = reference[i];
            if (ch is >= 'A' and <= 'Z')
            {
                column = (column * 26) + (ch - 'A' + 1);
            }
            else if (ch is >= 'a' and <= 'z')
            {
                column = (column * 26) + (ch - 'a' + 1);
            }
            else
            {
                break;
            }

            if (column > XlsxTableReader.MaxColumns)
            {
                return XlsxTableReader.MaxColumns;
            }
        }

        return i == 0 ? -1 : column - 1;
    }
}
