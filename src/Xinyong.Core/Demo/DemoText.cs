namespace Xinyong.Core.Demo;

/// <summary>A growable char buffer reused for every row, so composing a field does not allocate.</summary>
internal sealed class TextBuffer
{
    private char[] _chars = new char[512];

    public int Length { get; private set; }

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    public TextBuffer Clear()
    {
        Length = 0;
        return this;
    }

    public TextBuffer Append(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
        return this;
    }

    public TextBuffer Append(char c)
    {
        Ensure(1);
        _chars[Length++] = c;
        return this;
    }

    public TextBuffer Append(long value)
    {
        Ensure(20);
        value.TryFormat(_chars.AsSpan(Length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Length += written;
        return this;
    }

    /// <summary>Appends a non-negative number with at least <paramref name="width"/> digits.</summary>
    public TextBuffer AppendPadded(long value, int width)
    {
        var digits = CountDigits(value);
        for (var i = digits; i < width; i++)
        {
            Append('0');
        }

        return Append(value);
    }

    /// <summary>yyyy-MM-dd.</summary>
    public TextBuffer AppendIsoDate(DateOnly date) =>
        AppendPadded(date.Year, 4).Append('-').AppendPadded(date.Month, 2).Append('-').AppendPadded(date.Day, 2);

    /// <summary>2024年3月5日, as written in decisions.</summary>
    public TextBuffer AppendChineseDate(DateOnly date) =>
        Append(date.Year).Append('年').Append(date.Month).Append('月').Append(date.Day).Append('日');

    /// <summary>An amount in fen as yuan: 500000 -> "5000", 123456 -> "1234.56".</summary>
    public TextBuffer AppendYuan(long fen)
    {
        Append(fen / 100);
        var cents = fen % 100;
        if (cents != 0)
        {
            Append('.').AppendPadded(cents, 2);
        }

        return this;
    }

    /// <summary>An amount in fen as 万元 with at most 6 decimals and no trailing zeros: 500000 -> "0.5".</summary>
    public TextBuffer AppendWanYuan(long fen)
    {
        Append(fen / 1_000_000);
        var fraction = fen % 1_000_000;
        if (fraction == 0)
        {
            return this;
        }

        var width = 6;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            width--;
        }

        return Append('.').AppendPadded(fraction, width);
    }

    private static int CountDigits(long value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    private void Ensure(int extra)
    {
        if (Length + extra > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + extra));
        }
    }
}

/// <summary>Writes RFC 4180 CSV by hand: quotes a field only when it holds a comma, quote or line break.</summary>
internal sealed class CsvRowWriter : IDisposable
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",\"\r\n");

    private readonly StreamWriter _writer;
    private bool _rowStarted;

    public CsvRowWriter(string path)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
    }

    public void Header(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            Field(name);
        }

        EndRow();
    }

    public void Field(ReadOnlySpan<char> value)
    {
        if (_rowStarted)
        {
            _writer.Write(',');
        }

        _rowStarted = true;
        if (value.IndexOfAny(Special) < 0)
        {
            _writer.Write(value);
            return;
        }

        _writer.Write('"');
        foreach (var c in value)
        {
            if (c == '"')
            {
                _writer.Write('"');
            }

            _writer.Write(c);
        }

        _writer.Write('"');
    }

    public void Field(TextBuffer buffer) => Field(buffer.Span);

    public void Empty() => Field(ReadOnlySpan<char>.Empty);

    public void EndRow()
    {
        _writer.Write("\r\n");
        _rowStarted = false;
    }

    public void Dispose() => _writer.Dispose();
}
