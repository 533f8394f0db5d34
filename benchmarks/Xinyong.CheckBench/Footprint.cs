using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.CheckBench;

/// <summary>
/// What the benchmark adds to a seeded database, and how it is taken out again. Before anything is written the highest
/// id and the row count of every table the check path and the list store write to are taken (and saved to a file in the
/// work directory, so an interrupted run is cleaned up by the next one or by --cleanup-only); at the end every row above
/// those ids is deleted, PostgreSQL sequences are set back, the default check purposes are removed when the benchmark was
/// the one that stored them, and the counts are compared with the ones taken before. The seeded subjects, records and
/// publications are only read.
/// </summary>
internal sealed record Footprint
{
    /// <summary>Children before parents (foreign keys).</summary>
    public static readonly string[] Tables = ["check_results", "check_runs", "list_notices", "list_entry_events", "list_entries", "audit_log"];

    public Dictionary<string, long> MaxIds { get; init; } = [];
    public Dictionary<string, long> Counts { get; init; } = [];
    public long Purposes { get; init; }

    public static async Task<Footprint> TakeAsync(XinyongDatabase db)
    {
        await using var conn = await db.OpenAsync();
        var max = new Dictionary<string, long>();
        var counts = new Dictionary<string, long>();
        foreach (var t in Tables)
        {
            max[t] = await conn.ExecuteScalarAsync<long?>($"SELECT MAX(id) FROM {t}") ?? 0;
            counts[t] = await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {t}");
        }
        var purposes = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM check_purposes");
        return new Footprint { MaxIds = max, Counts = counts, Purposes = purposes };
    }

    /// <summary>Deletes what was added since the footprint was taken; returns a line saying what was removed. Throws when the counts differ afterwards.</summary>
    public async Task<string> RestoreAsync(XinyongDatabase db)
    {
        await using var conn = await db.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var removed = new List<string>();
        foreach (var t in Tables)
        {
            var n = await conn.ExecuteAsync($"DELETE FROM {t} WHERE id > @max", new { max = MaxIds[t] }, tx);
            if (n > 0) removed.Add(string.Create(CultureInfo.InvariantCulture, $"{t} {n:N0}"));
            if (!db.IsSqlite)
            {
                // Back to where the sequence stood, so the next id is the one it would have been without the benchmark.
                await conn.ExecuteAsync(
                    $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST(@max, 1), @max > 0)", new { max = MaxIds[t] }, tx);
            }
        }
        if (Purposes == 0)
        {
            var n = await conn.ExecuteAsync("DELETE FROM check_purposes", transaction: tx);
            if (n > 0) removed.Add($"check_purposes {n} (the defaults, stored on first use by the benchmark)");
        }
        foreach (var t in Tables)
        {
            var count = await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {t}", transaction: tx);
            if (count != Counts[t])
                throw new InvalidOperationException($"Cleanup: {t} has {count} rows, {Counts[t]} before the benchmark; rolled back, nothing deleted.");
        }
        await tx.CommitAsync();
        return removed.Count == 0 ? "nothing to remove" : "removed " + string.Join(", ", removed);
    }

    public static string PendingFile(string workDir, string db) =>
        Path.Combine(workDir, "pending-cleanup-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(db)))[..12] + ".json");

    public async Task SaveAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this));
    }

    public static async Task<Footprint?> LoadAsync(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<Footprint>(await File.ReadAllTextAsync(path)) : null;
}
