using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Checks;
using Xinyong.Data.Checks;
using Xinyong.Data.Database;

namespace Xinyong.CheckBench;

/// <summary>--probe: the matcher alone and its code query alone, three times each, wall and CPU seconds (diagnostic).</summary>
internal static class Probe
{
    public static async Task RunAsync(IServiceProvider services, IReadOnlyList<string> codes)
    {
        var db = services.GetRequiredService<XinyongDatabase>();
        var matcher = services.GetRequiredService<SubjectMatcher>();
        var rows = codes.Select((c, i) => new CheckInputRow(i + 1, c, null)).ToList();
        for (var k = 0; k < 3; k++)
        {
            await TimeAsync("SubjectMatcher.MatchAsync", () => matcher.MatchAsync(rows, CheckMatchOptions.Default));
            await TimeAsync("code query alone (Dapper, chunks of 10,000)", async () =>
            {
                await using var conn = await db.OpenAsync();
                var n = 0;
                foreach (var chunk in codes.Chunk(SubjectMatcher.ChunkSize))
                {
                    n += (await conn.QueryAsync<(string, string, long, string, string, string)>(
                        $"SELECT i.scheme, i.value, i.subject_id, s.kind, s.name, s.uscc FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.value {db.InList("codes")}",
                        new { codes = db.ListParam(chunk) })).Count();
                }
                return n;
            });
        }
    }

    private static async Task TimeAsync<T>(string what, Func<Task<T>> work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        await work();
        Program.Say($"probe: {what}: {sw.Elapsed.TotalSeconds:F2} s wall, {(Environment.CpuUsage.TotalTime - cpu).TotalSeconds:F2} s CPU");
    }
}
