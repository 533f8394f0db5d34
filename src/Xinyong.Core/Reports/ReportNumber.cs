using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Xinyong.Core.Reports;

/// <summary>
/// A report number: "XY-" + issue date (yyyyMMdd) + "-" + the day's sequence (5 digits) + "-" + a check character over
/// the 13 digits by ISO 7064 MOD 11-2 (the scheme of the resident ID number: 0-9 or X). A mistyped digit or two swapped
/// neighbouring digits are caught before any look-up.
/// </summary>
public readonly record struct ReportNumber(DateOnly IssueDate, int Sequence)
{
    public const int MaxSequence = 99_999;

    public string Digits => IssueDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Sequence.ToString("D5", CultureInfo.InvariantCulture);

    public char Check => CheckChar(Digits);

    public override string ToString() => $"XY-{IssueDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{Sequence.ToString("D5", CultureInfo.InvariantCulture)}-{Check}";

    public static ReportNumber Create(DateOnly issueDate, int sequence)
    {
        if (sequence is < 1 or > MaxSequence) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "A day holds reports 1-99999.");
        return new ReportNumber(issueDate, sequence);
    }

    /// <summary>ISO 7064 MOD 11-2 check character of a digit string.</summary>
    public static char CheckChar(string digits)
    {
        var p = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') throw new ArgumentException("Digits only.", nameof(digits));
            p = (p + (c - '0')) * 2 % 11;
        }
        var check = (12 - p) % 11;
        return check == 10 ? 'X' : (char)('0' + check);
    }

    /// <summary>Reads a number as people type it: any case, with or without the hyphens, full-width characters folded.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ReportNumber? number)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var chars = text.Normalize(System.Text.NormalizationForm.FormKC).ToUpperInvariant()
            .Where(c => c is not ('-' or ' ' or '\u2014' or '\u2013')).ToArray();
        var s = new string(chars);
        if (s.StartsWith("XY", StringComparison.Ordinal)) s = s[2..];
        if (s.Length != 14 || !s[..13].All(char.IsAsciiDigit)) return false;
        if (!DateOnly.TryParseExact(s[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        var seq = int.Parse(s[8..13], CultureInfo.InvariantCulture);
        if (seq < 1 || CheckChar(s[..13]) != s[13]) return false;
        number = new ReportNumber(date, seq);
        return true;
    }
}
