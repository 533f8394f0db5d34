using System.Globalization;
using Dapper;
using Npgsql;

namespace Xinyong.Benchmarks;

/// <summary>
/// CPU time used by a local PostgreSQL server (Linux /proc): the postmaster with its reaped children (cutime/cstime)
/// plus its live children (backends, autovacuum, WAL writer). A diagnostic next to the wall time, which on a shared
/// two-core machine depends on what else runs. Counts every client of the server: use a server of one's own.
/// </summary>
public sealed class ServerCpu
{
    private readonly int _postmaster;
    private readonly double _start;

    private ServerCpu(int postmaster)
    {
        _postmaster = postmaster;
        _start = Total();
    }

    /// <summary>Null when the server is not local or /proc is not readable.</summary>
    public static async Task<ServerCpu?> StartAsync(string connectionString)
    {
        try
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            var dataDir = await conn.ExecuteScalarAsync<string>("SHOW data_directory");
            var pidFile = Path.Combine(dataDir!, "postmaster.pid");
            if (!File.Exists(pidFile)) return null;
            var pid = int.Parse(File.ReadLines(pidFile).First().Trim(), CultureInfo.InvariantCulture);
            return new ServerCpu(pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NpgsqlException or FormatException)
        {
            return null;
        }
    }

    public double Seconds => Total() - _start;

    private double Total()
    {
        var ticks = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            var f = Stat(pid);
            if (f is null) continue;
            // Fields after the command: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
            if (pid == _postmaster) ticks += f[11] + f[12] + f[13] + f[14];
            else if (f[1] == _postmaster) ticks += f[11] + f[12];
        }
        return ticks / 100.0; // USER_HZ
    }

    private static long[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return rest.Take(15).Select(s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
