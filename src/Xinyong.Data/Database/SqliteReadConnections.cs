using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Xinyong.Data.Database;

/// <summary>
/// SQLite connections kept open for repeated reads, each with one command per query text. Microsoft.Data.Sqlite keeps a
/// command's statements prepared for as long as the command and its connection live (and drops them when the connection
/// closes, which a pooled open-and-close per request does every time), so a query run again on a kept connection is not
/// parsed and planned again. On the 10M-record benchmark the public subject page's eight statements cost 0.99 CPU-ms
/// prepared per request and 0.30 CPU-ms prepared once (docs/benchmarks.md, "Public website", floor server).
/// A connection is used by one caller at a time; at most <see cref="MaxIdle"/> are kept between uses.
/// </summary>
internal sealed class SqliteReadConnections(Func<SqliteConnection> open) : IDisposable
{
    public const int MaxIdle = 16;

    private readonly ConcurrentBag<Kept> _idle = [];
    private int _idleCount;
    private bool _disposed;

    public (SqliteDataReader Reader, Action Release) Execute(string sql, IReadOnlyList<(string Name, object? Value)> args)
    {
        var kept = Rent();
        try
        {
            var cmd = kept.Command(sql, args);
            var reader = cmd.ExecuteReader();
            return (reader, () => Return(kept));
        }
        catch
        {
            // A failed command may have left the connection in any state: it is not kept.
            kept.Dispose();
            throw;
        }
    }

    private Kept Rent()
    {
        if (_idle.TryTake(out var kept))
        {
            Interlocked.Decrement(ref _idleCount);
            return kept;
        }
        return new Kept(open());
    }

    private void Return(Kept kept)
    {
        if (Volatile.Read(ref _disposed) || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (!Volatile.Read(ref _disposed)) Interlocked.Decrement(ref _idleCount);
            kept.Dispose();
            return;
        }
        _idle.Add(kept);
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        while (_idle.TryTake(out var kept)) kept.Dispose();
    }

    private sealed class Kept(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteCommand Command(string sql, IReadOnlyList<(string Name, object? Value)> args)
        {
            if (!_commands.TryGetValue(sql, out var cmd))
            {
                cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                foreach (var (name, _) in args) cmd.Parameters.Add(new SqliteParameter(name, null));
                _commands.Add(sql, cmd);
            }
            for (var i = 0; i < args.Count; i++)
            {
                var p = cmd.Parameters[args[i].Name];
                p.Value = args[i].Value ?? DBNull.Value;
            }
            return cmd;
        }

        public void Dispose()
        {
            foreach (var cmd in _commands.Values) cmd.Dispose();
            connection.Dispose();
        }
    }
}
