using System.Data.Common;
using Dapper;

namespace Xinyong.Data.Database;

/// <summary>
/// The reader of a query the platform runs again and again (<see cref="XinyongDatabase.ReadRepeatedAsync"/>); disposing
/// it closes the reader and gives the connection back.
/// </summary>
public sealed class RepeatedRead : IAsyncDisposable
{
    private readonly IAsyncDisposable? _connection;
    private readonly Action? _release;

    internal RepeatedRead(DbDataReader reader, IAsyncDisposable? connection, Action? release)
    {
        Reader = reader;
        _connection = connection;
        _release = release;
    }

    public DbDataReader Reader { get; }

    /// <summary>The rows of the current result set, mapped as Dapper maps them; then moves on to the next set.</summary>
    public async Task<List<T>> ReadSetAsync<T>(CancellationToken ct = default)
    {
        var rows = new List<T>();
        if (Reader.FieldCount > 0)
        {
            // Typed as object: Dapper's parser of a single plain column (a string) is only that.
            var parse = Reader.GetRowParser<object>(typeof(T));
            while (await Reader.ReadAsync(ct)) rows.Add((T)parse(Reader));
        }
        await Reader.NextResultAsync(ct);
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        _release?.Invoke();
    }
}
