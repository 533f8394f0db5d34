using System.Diagnostics;
using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.CheckBench;

/// <summary>
/// Reads the B-trees a check by code touches (identifiers by value, identifier rows, subject rows, the publications
/// index by subject, list entries) into the operating system's page cache before a timed run, so that every run, batch
/// or naive, starts from the same cache state. This machine's kernel pages out file cache it finds cold (DAMON
/// "pageout"), so without it the pages of a 15 GB database are partly on disk again a minute later and the same run
/// varies by half. SQLite only: PostgreSQL keeps its own buffers.
/// </summary>
internal static class Prewarm
{
    private static readonly string[] Scans =
    [
        "SELECT max(length(value)) FROM subject_identifiers INDEXED BY ix_subject_identifiers_value WHERE value > ''",
        "SELECT max(length(source)) FROM subject_identifiers",
        "SELECT max(length(name)) FROM subjects",
        "SELECT count(*) FROM publications INDEXED BY ix_publications_subject WHERE subject_id > 0",
        "SELECT max(length(grounds)) FROM list_entries",
    ];

    public static async Task RunAsync(XinyongDatabase db)
    {
        if (!db.IsSqlite) return;
        var sw = Stopwatch.StartNew();
        await using var conn = await db.OpenAsync();
        foreach (var sql in Scans) await conn.ExecuteScalarAsync(sql);
        Program.Say($"prewarm: identifiers, subjects, publications by subject and list entries read in {sw.Elapsed.TotalSeconds:F1} s");
    }
}
