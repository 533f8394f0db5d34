using System.Globalization;

namespace Xinyong.Identifiers;

/// <summary>Masks personal data before it is shown to the public.</summary>
public static class Masking
{
    /// <summary>
    /// Keeps the first 4 and last 2 characters of anything of 8 characters or more
    /// ("11010519491231002X" -> "1101************2X"); shorter input is masked completely. Never throws.
    /// </summary>
    public static string MaskResidentId(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value.Length < 8)
        {
            return new string('*', value.Length);
        }

        return string.Create(value.Length, value, static (span, v) =>
        {
            span.Fill('*');
            v.AsSpan(0, 4).CopyTo(span);
            v.AsSpan(v.Length - 2).CopyTo(span[^2..]);
        });
    }

    /// <summary>
    /// Keeps the first character and masks the rest: "张三" -> "张*", "张三丰" -> "张**", "欧阳娜娜" -> "欧***".
    /// A one-character name becomes "*". Counts text elements, so rare characters outside the BMP count once.
    /// </summary>
    public static string MaskPersonName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return string.Empty;
        }

        var elements = new StringInfo(trimmed);
        var count = elements.LengthInTextElements;
        if (count == 1)
        {
            return "*";
        }

        return string.Concat(elements.SubstringByTextElements(0, 1), new string('*', count - 1));
    }
}
