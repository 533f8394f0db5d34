namespace Xinyong.Identifiers.Internal;

/// <summary>
/// Canonical form of a typed or pasted identifier. Returns the same instance when nothing changes so that
/// the hot path (already clean data) does not allocate.
/// </summary>
internal static class Normalizer
{
    private const int StackLimit = 256;

    public static string Normalize(string input)
    {
        var i = 0;
        while (i < input.Length && !NeedsWork(input[i]))
        {
            i++;
        }

        if (i == input.Length)
        {
            return input;
        }

        var buffer = input.Length <= StackLimit ? stackalloc char[input.Length] : new char[input.Length];
        input.AsSpan(0, i).CopyTo(buffer);
        var n = i;
        for (; i < input.Length; i++)
        {
            var c = Map(input[i]);
            if (c != '\0')
            {
                buffer[n++] = c;
            }
        }

        return new string(buffer[..n]);
    }

    private static bool NeedsWork(char c) => c <= ' ' || c >= '\u007F' || (uint)(c - 'a') <= 'z' - 'a';

    /// <summary>Maps one character; '\0' means "drop it".</summary>
    private static char Map(char c)
    {
        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            // Full-width forms (０-９, Ａ-Ｚ, ａ-ｚ, －) sit at a fixed offset from ASCII.
            c = (char)(c - 0xFEE0);
        }

        if ((uint)(c - 'a') <= 'z' - 'a')
        {
            return (char)(c - ('a' - 'A'));
        }

        if (char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF')
        {
            return '\0';
        }

        return c is (>= '\u2010' and <= '\u2015') or '\u2212' or '\uFE58' or '\uFE63' ? '-' : c;
    }
}
