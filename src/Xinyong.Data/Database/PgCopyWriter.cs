using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Xinyong.Data.Database;

/// <summary>
/// PostgreSQL: rows written in the binary COPY format straight into a buffer of this writer and handed to the server in
/// large blocks through Npgsql's raw copy stream. For the records of a bulk load, where Npgsql's importer bound and wrote
/// each of a row's 18 values through its general parameter machinery (about a sixth of the ingest's client CPU while
/// a penalty file loads; docs/benchmarks.md, "Ingest"). The format: a signature and two zero words, then per row the
/// number of fields and per field its length in bytes (-1 for NULL) and its value in the type's binary form
/// (big-endian integers; date as days and timestamptz as microseconds since 2000-01-01; numeric in base-10000 digits),
/// and a final field count of -1.
/// </summary>
public sealed class PgCopyWriter : IDisposable
{
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
    private const int BlockSize = 64 * 1024;
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private readonly NpgsqlRawCopyStream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
    private int _used;
    private bool _completed;

    private PgCopyWriter(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        Bytes(Signature);
        Int32(0);
        Int32(0);
    }

    /// <summary>Starts <c>COPY … FROM STDIN (FORMAT BINARY)</c>; <see cref="Complete"/> ends it, and disposing without it cancels it.</summary>
    public static PgCopyWriter Begin(NpgsqlConnection conn, string copyFromStdinBinary) => new(conn.BeginRawBinaryCopy(copyFromStdinBinary));

    public void StartRow(short fields)
    {
        if (_used > BlockSize - 1024) Flush();
        Int16(fields);
    }

    public void Null() => Int32(-1);

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Ensure(4 + max);
        var length = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), length);
        _used += 4 + length;
    }

    /// <summary>A text (or json) value already encoded in UTF-8.</summary>
    public void Utf8(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        Bytes(value);
    }

    public void Int4(int value)
    {
        Int32(4);
        Int32(value);
    }

    public void Int8(long value)
    {
        Int32(8);
        Ensure(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_used), value);
        _used += 8;
    }

    public void Date(DateOnly value)
    {
        Int32(4);
        Int32(value.DayNumber - PostgresEpochDay);
    }

    /// <summary>A timestamptz: <paramref name="utc"/> must be UTC (as the platform's times are).</summary>
    public void TimestampTz(DateTime utc)
    {
        if (utc.Kind != DateTimeKind.Utc) throw new ArgumentException("A timestamptz is written from a UTC time.", nameof(utc));
        Int8((utc.Ticks - PostgresEpochTicks) / TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>
    /// A numeric: the decimal's digits in groups of four (base 10,000) aligned on the decimal point, the weight of the
    /// first group, the sign and the display scale (the decimal's scale). Leading and trailing zero groups are left out.
    /// </summary>
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        // Pad the fraction to whole groups of four digits.
        var pad = (4 - scale % 4) % 4;
        for (var i = 0; i < pad; i++) mantissa *= 10;
        var fractionGroups = (scale + pad) / 4;

        // Base-10,000 groups, least significant first (a 96-bit mantissa times 1,000 has at most 8 groups).
        Span<short> groups = stackalloc short[10];
        var count = 0;
        while (mantissa != 0)
        {
            groups[count++] = (short)(ushort)(mantissa % 10_000);
            mantissa /= 10_000;
        }
        var low = 0;
        while (low < count && groups[low] == 0) low++; // trailing zero groups
        var digits = count - low;
        var weight = digits == 0 ? 0 : count - 1 - fractionGroups;

        Int32(8 + 2 * digits);
        Int16((short)digits);
        Int16((short)weight);
        Int16(digits == 0 || !negative ? (short)0 : (short)0x4000);
        Int16((short)scale);
        for (var i = count - 1; i >= low; i--) Int16(groups[i]);
    }

    /// <summary>Ends the copy; the server's error (a key already stored, say) is thrown here.</summary>
    public void Complete()
    {
        Int16(-1);
        Flush();
        _completed = true;
        _stream.Dispose();
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            try
            {
                _stream.Cancel();
            }
            finally
            {
                _stream.Dispose();
            }
        }
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Flush()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    private void Ensure(int bytes)
    {
        if (_buffer.Length - _used >= bytes) return;
        Flush();
        if (_buffer.Length < bytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(bytes);
        }
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    private void Int16(short value)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), value);
        _used += 2;
    }

    private void Int32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), value);
        _used += 4;
    }
}
