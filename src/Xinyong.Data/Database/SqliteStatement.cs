using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Xinyong.Data.Database;

/// <summary>
/// A statement prepared once on a SQLite connection's native handle and bound by position. The hot inserts and look-ups
/// of the ingest and of batch credit checks go through it rather than through <see cref="SqliteCommand"/>, which looks every parameter up by name
/// and converts every string to a fresh UTF-8 copy on each execution. Values are stored exactly as
/// Microsoft.Data.Sqlite would store them (text, 64-bit integers, decimals as invariant text). The statement runs in
/// whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private byte[] _utf8 = new byte[1024];

    public SqliteStatement(SqliteConnection conn, string sql)
    {
        _db = conn.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
    }

    public void Text(int index, string? value)
    {
        if (value is null)
        {
            Null(index);
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < max) _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        var n = Encoding.UTF8.GetBytes(value, _utf8);
        // SQLitePCL binds spans with SQLITE_TRANSIENT: SQLite copies the bytes, so the buffer can be reused at once.
        Check(raw.sqlite3_bind_text(_stmt, index, _utf8.AsSpan(0, n)));
    }

    /// <summary>Text already encoded as UTF-8, bound without a copy on this side.</summary>
    public void Utf8(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_text(_stmt, index, value));

    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(_stmt, index, value));

    public void Null(int index) => Check(raw.sqlite3_bind_null(_stmt, index));

    public void Real(int index, double? value)
    {
        if (value is { } d) Check(raw.sqlite3_bind_double(_stmt, index, d));
        else Null(index);
    }

    public void Decimal(int index, decimal? value)
    {
        if (value is { } d) Text(index, d.ToString("0.0###########################", CultureInfo.InvariantCulture));
        else Null(index);
    }

    public void Date(int index, DateOnly value) => Text(index, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Runs the statement once with the values bound, then makes it ready for the next row.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            var error = Error(rc);
            raw.sqlite3_reset(_stmt);
            throw error;
        }
        raw.sqlite3_reset(_stmt);
    }

    /// <summary>
    /// Steps a query with the values bound: true while it yields a row (read it with <see cref="ColumnText"/> and
    /// <see cref="ColumnInteger"/>); false when done, after which the statement is ready for the next values.
    /// </summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW) return true;
        raw.sqlite3_reset(_stmt);
        if (rc != raw.SQLITE_DONE) throw Error(rc);
        return false;
    }

    public string? ColumnText(int index) =>
        raw.sqlite3_column_type(_stmt, index) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_stmt, index).utf8_to_string();

    public long ColumnInteger(int index) => raw.sqlite3_column_int64(_stmt, index);

    /// <summary>
    /// The text of a column that holds one of a few values (a scheme, a kind): the same string instance for the same
    /// bytes, so a look-up of thousands of rows does not make thousands of copies of "legal_person". When the code has
    /// the value as a literal, that interned literal is the instance returned.
    /// </summary>
    public string? ColumnSymbol(int index)
    {
        if (raw.sqlite3_column_type(_stmt, index) == raw.SQLITE_NULL) return null;
        var bytes = raw.sqlite3_column_blob(_stmt, index);
        foreach (var (utf8, text) in _symbols)
        {
            if (bytes.SequenceEqual(utf8)) return text;
        }
        var decoded = Encoding.UTF8.GetString(bytes);
        var s = string.IsInterned(decoded) ?? decoded;
        if (_symbols.Count < MaxSymbols) _symbols.Add((bytes.ToArray(), s));
        return s;
    }

    /// <summary>The text of a column, as <paramref name="expected"/> itself when the column holds exactly that ASCII text.</summary>
    public string? ColumnText(int index, string expected)
    {
        if (raw.sqlite3_column_type(_stmt, index) == raw.SQLITE_NULL) return null;
        var bytes = raw.sqlite3_column_blob(_stmt, index);
        if (bytes.Length == expected.Length && Ascii.Equals(bytes, expected)) return expected;
        return Encoding.UTF8.GetString(bytes);
    }

    private const int MaxSymbols = 32;
    private readonly List<(byte[] Utf8, string Text)> _symbols = [];

    /// <summary>Rows the last <see cref="Execute"/> inserted, updated or deleted (0 for an insert that did nothing on conflict).</summary>
    public int Changes => raw.sqlite3_changes(_db);

    /// <summary>Rowid of the row the last <see cref="Execute"/> inserted.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    public void Dispose() => _stmt.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw Error(rc);
    }

    private SqliteException Error(int rc) =>
        new($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_db));
}
