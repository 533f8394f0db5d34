using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Xinyong.Core.Normalization;
using Xinyong.Core.Search;
using Xinyong.Data.Database;
using Xinyong.Data.Search;

namespace Xinyong.SearchBench;

/// <summary>
/// Measures the subject search at scale: index load time and memory, name search latency (index alone and the whole
/// SubjectSearch call with its page query), hit rate on name variants, and refresh cost. Usage:
/// <code>
/// dotnet run -c Release --project benchmarks/Xinyong.SearchBench -- [--subjects 1000000] [--queries 10000]
///     [--provider sqlite|postgres] [--pg "Host=127.0.0.1;Port=55432;Username=postgres"] [--work-dir /tmp] [--seed 20191025]
/// </code>
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var o = Options.Parse(args);
        Console.WriteLine($"# Subject search benchmark: {o.Subjects:N0} subjects, {o.Queries:N0} queries, {o.Provider}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        var watch = Stopwatch.StartNew();
        var data = DemoData.Create(o.Subjects, o.Seed);
        Console.WriteLine($"generated {data.Count:N0} subjects ({data.Renamed.Count:N0} renamed) in {watch.Elapsed.TotalSeconds:F1} s");

        var (db, written, cleanup) = await CreateDatabaseAsync(o);
        try
        {
            watch.Restart();
            if (!written)
            {
                await BulkLoad.WriteAsync(db, data);
                Console.WriteLine($"database written in {watch.Elapsed.TotalSeconds:F1} s");
            }

            // Load: everything the process holds so far stays (the generated data included); the difference is the index.
            // First use of the database driver and Dapper is not the index's memory.
            await using (var warm = await db.OpenAsync()) await warm.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subject_names WHERE subject_id < 10");
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var index = new SubjectSearchIndex(db);
            var search = new SubjectSearch(db, index);
            watch.Restart();
            await index.EnsureLoadedAsync();
            var loadSeconds = watch.Elapsed.TotalSeconds;
            var peakDuringLoad = Process.GetCurrentProcess().PeakWorkingSet64;
            // Compact the large object heap so that the load's temporary arrays do not count as retained.
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            var after = GC.GetTotalMemory(forceFullCollection: true);
            var names = index.Current;
            Console.WriteLine();
            Console.WriteLine("## Load");
            Console.WriteLine($"| names indexed | load (read + parse + build) | retained managed memory | index arrays | process peak working set |");
            Console.WriteLine($"|---|---|---|---|---|");
            Console.WriteLine($"| {names.Count:N0} | {loadSeconds:F2} s | {(after - before) / 1048576.0:F0} MB | {names.EstimatedBytes / 1048576.0:F0} MB | {peakDuringLoad / 1048576.0:F0} MB |");

            if (Environment.GetEnvironmentVariable("SEARCHBENCH_PROFILE") is { Length: > 0 } profile)
            {
                foreach (var text in profile.Split('|'))
                {
                    var t0 = Stopwatch.GetTimestamp();
                    NameSearchResult r = NameSearchResult.None;
                    for (var k = 0; k < 200; k++) r = names.Search(text);
                    var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / 200;
                    Console.WriteLine($"PROFILE {text}: {ms:F2} ms, total {r.Total}{(r.TotalIsLowerBound ? "+" : "")}, first {r.Hits.FirstOrDefault()?.MatchedKey} {r.Hits.FirstOrDefault()?.Match.ReasonEn}");
                }
                return 0;
            }
            var queries = QuerySet.Create(data, o.Queries, o.Seed + 1);
            await RunQueriesAsync(search, names, queries);
            await RunConcurrentAsync(search, queries);
            await RefreshAsync(db, index, data, o);
        }
        finally
        {
            await cleanup();
        }
        return 0;
    }

    private static async Task RunQueriesAsync(SubjectSearch search, NameIndex names, QuerySet queries)
    {
        // Warm up: JIT tiers, SQLite page cache, connection pool.
        foreach (var q in queries.Items.Take(1000))
        {
            names.Search(q.Text);
            await search.SearchAsync(q.Text);
        }

        // CPU time of the process per query: unlike wall time it does not grow when other processes share the cores.
        var cpuIndex = TimeSpan.Zero;
        var cpuCall = TimeSpan.Zero;
        foreach (var q in queries.Items.Take(2000))
        {
            var c0 = Environment.CpuUsage.TotalTime;
            names.Search(q.Text, 0, 20);
            cpuIndex += Environment.CpuUsage.TotalTime - c0;
        }
        foreach (var q in queries.Items.Take(2000))
        {
            var c0 = Environment.CpuUsage.TotalTime;
            await search.SearchAsync(q.Text, 1, 20);
            cpuCall += Environment.CpuUsage.TotalTime - c0;
        }
        var indexTimes = new double[queries.Items.Count];
        var callTimes = new double[queries.Items.Count];
        var stats = new Dictionary<string, HitStats>(StringComparer.Ordinal);
        var totalStats = new HitStats();
        var misses = new List<string>();
        var slow = new List<(double Ms, string Text, int Total)>();
        var gen2 = GC.CollectionCount(2);
        var gen0 = GC.CollectionCount(0);
        for (var i = 0; i < queries.Items.Count; i++)
        {
            var q = queries.Items[i];
            var t0 = Stopwatch.GetTimestamp();
            var r = names.Search(q.Text, 0, 20);
            indexTimes[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            slow.Add((indexTimes[i], q.Text, r.Total));
            t0 = Stopwatch.GetTimestamp();
            var page = await search.SearchAsync(q.Text, 1, 20);
            callTimes[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;

            if (!stats.TryGetValue(q.Variant, out var s)) stats[q.Variant] = s = new HitStats();
            var rank = r.Hits.ToList().FindIndex(h => h.SubjectId == q.SubjectId);
            var top = r.Hits.Count > 0 ? r.Hits[0].Match.Score : 0;
            var targetScore = rank >= 0 ? r.Hits[rank].Match.Score : NameMatcher.Match(q.Text, q.TargetName, q.Variant == "former name").Score;
            foreach (var st in new[] { s, totalStats })
            {
                st.Count++;
                if (rank == 0) st.First++;
                else if (r.Hits.Count > 0 && targetScore >= top) st.Tied++;
                else if (r.Hits.Count > 0) st.OtherBetter++;
                if (rank is >= 0 and < 5) st.Top5++;
                if (page.Items.Count > 0 && page.Items[0].SubjectId == q.SubjectId) st.PageFirst++;
            }
            if (rank != 0 && r.Hits.Count > 0 && top > targetScore && misses.Count < 16)
            {
                misses.Add($"{q.Variant}: '{q.Text}' -> first '{r.Hits[0].MatchedKey}' {r.Hits[0].Match.Score:F3} {r.Hits[0].Match.ReasonEn}; target '{MatchKey.Parse(q.TargetName)}' {targetScore:F3}, rank {rank}");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Garbage collections during the sequential run: gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}. Slowest in memory: "
            + string.Join("; ", slow.OrderByDescending(x => x.Ms).Take(5).Select(x => $"{x.Text} {x.Ms:F1} ms ({x.Total} results)")));
        Console.WriteLine();
        Console.WriteLine($"## Name search latency, sequential ({queries.Items.Count:N0} queries, page of 20)");
        Console.WriteLine("| measured | p50 | p90 | p99 | max | mean |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine(Row("NameIndex.Search (in memory)", indexTimes));
        Console.WriteLine(Row("SubjectSearch.SearchAsync (incl. page query)", callTimes));
        Console.WriteLine();
        Console.WriteLine($"Process CPU time per query (mean of 2,000, all threads): NameIndex.Search {cpuIndex.TotalMilliseconds / 2000:F2} ms, SubjectSearch.SearchAsync {cpuCall.TotalMilliseconds / 2000:F2} ms. Load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores.");
        Console.WriteLine();
        Console.WriteLine("## Hit rate (target subject ranked first)");
        Console.WriteLine("| variant | queries | first | tied for first (ambiguous) | another subject scores higher | in top 5 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (variant, s) in stats.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Console.WriteLine(s.Row(variant));
        Console.WriteLine(totalStats.Row("all"));
        Console.WriteLine();
        Console.WriteLine("Examples where another subject scores higher:");
        foreach (var m in misses) Console.WriteLine("- " + m);
    }

    private static async Task RunConcurrentAsync(SubjectSearch search, QuerySet queries)
    {
        foreach (var workers in new[] { 2, 8 })
        {
            var times = new double[queries.Items.Count];
            var next = -1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < queries.Items.Count)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await search.SearchAsync(queries.Items[i].Text, 1, 20);
                    times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                }
            })));
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine();
            Console.WriteLine($"## SubjectSearch.SearchAsync under load: {workers} concurrent callers, {queries.Items.Count / seconds:N0} searches/s");
            Console.WriteLine("| measured | p50 | p90 | p99 | max | mean |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine(Row($"{workers} callers", times));
        }
    }

    private static async Task RefreshAsync(XinyongDatabase db, SubjectSearchIndex index, DemoData data, Options o)
    {
        var names = new SubjectNames(db, TimeProvider.System);
        var rng = new Random(o.Seed + 2);
        long firstId;
        await using (var conn = await db.OpenAsync()) firstId = await conn.ExecuteScalarAsync<long>("SELECT MAX(id) FROM subjects") + 1;
        var added = await BulkLoad.AddSubjectsAsync(db, firstId, 1000);
        for (var i = 0; i < 200; i++)
        {
            var id = rng.Next(data.Count) + 1;
            if (data.Kind[id - 1] == DemoData.Person) continue;
            await names.RecordNameAsync(id, "苏州" + DemoData.Brand(Random.Shared, 3) + "更名科技有限公司", DateTime.UtcNow);
        }
        var change = await index.RefreshAsync();
        var compact = Stopwatch.StartNew();
        var compacted = index.Current.Compact();
        var compactSeconds = compact.Elapsed.TotalSeconds;
        var hit = index.Current.Search(added[0]).Hits.FirstOrDefault();
        Console.WriteLine();
        Console.WriteLine("## Refresh after an ingest");
        Console.WriteLine("| change | subjects changed | names read | refresh | pending names | full compaction (CPU only) | new subject found |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine($"| 1,000 new subjects + up to 200 renames | {change.SubjectsChanged:N0} | {change.NamesIndexed:N0} | {change.Elapsed.TotalMilliseconds:F0} ms | {index.Current.PendingCount:N0} | {compactSeconds:F2} s ({compacted.Count:N0} names) | {(hit?.Match.Kind == MatchKind.Exact ? "yes" : "NO")} |");
    }

    private static string Row(string label, double[] times)
    {
        var sorted = times.Order().ToArray();
        double P(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return $"| {label} | {P(0.5):F2} ms | {P(0.9):F2} ms | {P(0.99):F2} ms | {sorted[^1]:F2} ms | {times.Average():F2} ms |";
    }

    private sealed class HitStats
    {
        public int Count;
        public int First;
        public int Tied;
        public int OtherBetter;
        public int Top5;
        public int PageFirst;

        public string Row(string label) =>
            $"| {label} | {Count:N0} | {Pct(First)} | {Pct(Tied)} | {Pct(OtherBetter)} | {Pct(Top5)} |";

        private string Pct(int n) => Count == 0 ? "-" : $"{100.0 * n / Count:F1}%";
    }

    private static async Task<(XinyongDatabase Db, bool Written, Func<Task> Cleanup)> CreateDatabaseAsync(Options o)
    {
        if (o.Provider == "sqlite" && o.Db is not null)
        {
            // A kept database: written on the first run, reused (with its write skipped) by later runs of the same size.
            var kept = new XinyongDatabase(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={o.Db}"));
            var exists = File.Exists(o.Db);
            await Migrator.ApplyAsync(kept);
            return (kept, exists, () => Task.CompletedTask);
        }
        if (o.Provider == "sqlite")
        {
            var path = Path.Combine(o.WorkDir, $"xinyong-searchbench-{Guid.NewGuid():N}.db");
            var db = new XinyongDatabase(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={path}"));
            await Migrator.ApplyAsync(db);
            return (db, false, () =>
            {
                SqliteConnection.ClearAllPools();
                foreach (var f in new[] { path, path + "-wal", path + "-shm" })
                {
                    if (File.Exists(f)) File.Delete(f);
                }
                return Task.CompletedTask;
            });
        }
        var name = $"xy_searchbench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(o.Postgres))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE DATABASE {name}");
        }
        var cs = new NpgsqlConnectionStringBuilder(o.Postgres) { Database = name }.ToString();
        var pg = new XinyongDatabase(new DatabaseOptions(DatabaseProvider.Postgres, cs));
        await Migrator.ApplyAsync(pg);
        return (pg, false, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(o.Postgres);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private sealed record Options(int Subjects, int Queries, string Provider, string Postgres, string WorkDir, int Seed, string? Db)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options(1_000_000, 10_000, "sqlite", "Host=127.0.0.1;Port=55432;Username=postgres", Path.GetTempPath(), 20191025, null);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                o = args[i] switch
                {
                    "--subjects" => o with { Subjects = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                    "--queries" => o with { Queries = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                    "--provider" => o with { Provider = args[i + 1] },
                    "--pg" => o with { Postgres = args[i + 1] },
                    "--work-dir" => o with { WorkDir = args[i + 1] },
                    "--seed" => o with { Seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                    "--db" => o with { Db = args[i + 1] },
                    _ => throw new ArgumentException($"Unknown option {args[i]}"),
                };
            }
            return o;
        }
    }
}

/// <summary>Writes generated subjects the fast way per provider: prepared statements (SQLite) or binary COPY.</summary>
internal static class BulkLoad
{
    public static async Task WriteAsync(XinyongDatabase db, DemoData data)
    {
        var now = DateTime.UtcNow.AddDays(-1);
        var rows = Enumerable.Range(0, data.Count).Select(i => Row(data, i, now));
        await WriteRowsAsync(db, rows, now);
    }

    /// <summary>New subjects after the load, as an ingest would create them; returns their names.</summary>
    public static async Task<List<string>> AddSubjectsAsync(XinyongDatabase db, long firstId, int count)
    {
        var rng = new Random(99);
        var now = DateTime.UtcNow;
        var rows = new List<SubjectRow>();
        for (var i = 0; i < count; i++)
        {
            var name = "昆山" + DemoData.Brand(rng, 3) + "新增物流有限公司" + firstId.ToString(CultureInfo.InvariantCulture) + "-" + i.ToString(CultureInfo.InvariantCulture);
            rows.Add(new SubjectRow(firstId + i, "legal_person", name, null, [(name, true, now)]));
        }
        await WriteRowsAsync(db, rows, now);
        return rows.Select(r => r.Name).ToList();
    }

    private sealed record SubjectRow(long Id, string Kind, string Name, string? Uscc, (string Name, bool Current, DateTime Seen)[] Names);

    private static SubjectRow Row(DemoData data, int i, DateTime now)
    {
        var kind = data.Kind[i] switch { DemoData.Enterprise => "legal_person", DemoData.Individual => "individual_business", _ => "natural_person" };
        var uscc = data.Kind[i] == DemoData.Person ? null : data.Code[i];
        var names = data.Renamed.TryGetValue(i, out var newName)
            ? new[] { (data.Name[i], false, now.AddYears(-3)), (newName, true, now) }
            : [(data.Name[i], true, now)];
        return new SubjectRow(i + 1, kind, newName ?? data.Name[i], uscc, names);
    }

    private static async Task WriteRowsAsync(XinyongDatabase db, IEnumerable<SubjectRow> rows, DateTime now)
    {
        await using var conn = await db.OpenAsync();
        if (conn is NpgsqlConnection pg)
        {
            var list = rows.ToList();
            await using (var copy = await pg.BeginBinaryImportAsync("COPY subjects (id, kind, uscc, name, name_key, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var r in list)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(r.Kind, NpgsqlDbType.Text);
                    if (r.Uscc is null) await copy.WriteNullAsync(); else await copy.WriteAsync(r.Uscc, NpgsqlDbType.Text);
                    await copy.WriteAsync(r.Name, NpgsqlDbType.Text);
                    await copy.WriteAsync(ChineseText.NameKey(r.Name), NpgsqlDbType.Text);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
                await copy.CompleteAsync();
            }
            await using (var copy = await pg.BeginBinaryImportAsync("COPY subject_names (subject_id, name, name_key, is_current, first_seen) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var r in list)
                {
                    foreach (var (name, current, seen) in r.Names) await copy.WriteRowAsync(default, r.Id, name, ChineseText.NameKey(name), current, seen);
                }
                await copy.CompleteAsync();
            }
            await using (var copy = await pg.BeginBinaryImportAsync("COPY subject_identifiers (scheme, value, subject_id, source) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var r in list.Where(r => r.Uscc is not null))
                {
                    await copy.WriteRowAsync(default, "uscc", r.Uscc!, r.Id, "bench");
                }
                await copy.CompleteAsync();
            }
            await pg.ExecuteAsync("SELECT setval(pg_get_serial_sequence('subjects', 'id'), (SELECT MAX(id) FROM subjects)); ANALYZE subjects; ANALYZE subject_names; ANALYZE subject_identifiers;");
            return;
        }
        var sq = (SqliteConnection)conn;
        await using var tx = (SqliteTransaction)await sq.BeginTransactionAsync();
        var subject = Command(sq, tx, "INSERT INTO subjects (id, kind, uscc, name, name_key, created_at, updated_at) VALUES ($p1, $p2, $p3, $p4, $p5, $p6, $p6)", 6);
        var names = Command(sq, tx, "INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES ($p1, $p2, $p3, $p4, $p5)", 5);
        var ident = Command(sq, tx, "INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('uscc', $p1, $p2, 'bench')", 2);
        var nowText = now.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        foreach (var r in rows)
        {
            Set(subject, r.Id, r.Kind, r.Uscc, r.Name, ChineseText.NameKey(r.Name), nowText);
            subject.ExecuteNonQuery();
            foreach (var (n, current, seen) in r.Names)
            {
                Set(names, r.Id, n, ChineseText.NameKey(n), current ? 1 : 0, seen.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
                names.ExecuteNonQuery();
            }
            if (r.Uscc is not null)
            {
                Set(ident, r.Uscc, r.Id);
                ident.ExecuteNonQuery();
            }
        }
        await tx.CommitAsync();
        await sq.ExecuteAsync("ANALYZE;");
    }

    private static SqliteCommand Command(SqliteConnection conn, SqliteTransaction tx, string sql, int parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 1; i <= parameters; i++) cmd.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        cmd.Prepare();
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
