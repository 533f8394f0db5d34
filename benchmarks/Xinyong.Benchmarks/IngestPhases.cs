using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Xinyong.Core.Auditing;
using Xinyong.Core.Calendar;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Demo;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Platform;

namespace Xinyong.Benchmarks;

/// <summary>
/// One measured phase, run in a child process of its own so that the kernel's peak resident memory belongs to that
/// phase alone: full (the platform's validated, resolved, versioned ingest), raw (the database's fastest plain load of
/// the same CSV rows), parse (CSV reading only) or validate (reading + catalogue validation, no database).
/// Only the loading itself is timed; database creation and migration are not.
/// </summary>
public static class IngestPhases
{
    private static readonly (string Type, string File)[] Files =
        [("penalty", DemoDataGenerator.PenaltiesFileName), ("licence", DemoDataGenerator.LicencesFileName)];

    public static async Task<int> RunAsync(IngestOptions o)
    {
        if (o.DataDir is null) throw new ArgumentException("--phase needs --data.");
        var provider = o.Providers.Count == 1 ? o.Providers[0] : "none";
        using var tally = AllocationTally.StartIfAsked();
        try
        {
            var result = o.Phase switch
            {
                "full" => await FullAsync(o, provider),
                "raw" when provider == "sqlite" => await RawSqliteAsync(o, indexed: false),
                "raw" when provider == "postgres" => await RawPostgresAsync(o, indexed: false),
                "raw-indexed" when provider == "sqlite" => await RawSqliteAsync(o, indexed: true),
                "raw-indexed" when provider == "postgres" => await RawPostgresAsync(o, indexed: true),
                "parse" => Parse(o, validate: false),
                "validate" => Parse(o, validate: true),
                _ => throw new ArgumentException($"Unknown phase '{o.Phase}' for provider '{provider}'."),
            };
            tally?.Print();
            Console.WriteLine((result with { LoadAverage = LoadAverage() }).ToLine());
            return 0;
        }
        catch (BenchmarkFailure ex)
        {
            Console.Error.WriteLine($"FAILED ({o.Phase}, {provider}): {ex.Message}");
            return 1;
        }
    }

    // ---------------------------------------------------------------- full ingest

    private static async Task<PhaseResult> FullAsync(IngestOptions o, string provider)
    {
        await using var fresh = await FreshDatabase.CreateAsync(provider, o.WorkDir, o.Postgres);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(fresh.Settings).Build();
        await using var services = new ServiceCollection().AddXinyongData(configuration).BuildServiceProvider();
        await services.GetRequiredService<PlatformSetup>().InitializeAsync();
        var db = services.GetRequiredService<XinyongDatabase>();
        if (o.SqliteJournal is { } journal && fresh.SqlitePath is not null)
        {
            await using var c = new SqliteConnection(fresh.ConnectionString);
            await c.OpenAsync();
            var mode = await c.ExecuteScalarAsync<string>($"PRAGMA journal_mode = {journal}");
            Console.WriteLine($"  sqlite journal_mode = {mode}");
        }

        fresh.Keep = o.KeepDatabase;
        if (o.Experiments.Contains("no-fk") && !db.IsSqlite)
        {
            await using var c = await db.OpenAsync();
            await c.ExecuteAsync(
                "DROP TRIGGER records_subjects_exist_insert ON records; DROP TRIGGER records_subjects_exist_update ON records");
            Console.WriteLine("  experiment: the subject reference check of records dropped");
        }
        using var analyzer = new CancellationTokenSource();
        var analyzing = o.Experiments.Contains("analyze") && !db.IsSqlite ? AnalyzeLoopAsync(fresh.ConnectionString, analyzer.Token) : Task.CompletedTask;

        var department = await services.GetRequiredService<DepartmentStore>().FindAsync("市场监管局")
                         ?? throw new BenchmarkFailure("department 市场监管局 is not seeded");
        var runner = services.GetRequiredService<IngestionRunner>();
        if (o.BatchSize is not null || o.ChunkRows is not null)
        {
            runner = new IngestionRunner(db, services.GetRequiredService<SubmissionStore>(), services.GetRequiredService<AuditLog>(),
                services.GetRequiredService<RecordCatalogue>(), services.GetRequiredService<WorkingDayCalendar>(), services.GetRequiredService<TimeProvider>())
            { BatchSize = o.BatchSize, ChunkRows = o.ChunkRows };
        }
        var actor = new Actor(ActorKind.Cli, "benchmark", department.Id);

        var expected = new Dictionary<string, long> { ["penalty"] = o.ExpectPenalties, ["licence"] = o.ExpectLicences };
        var seconds = new Dictionary<string, double>();
        var summaries = new List<IngestSummary>();
        using var sqlTimings = o.TraceSql ? new SqlTimings() : null;
        using var memory = new MemorySampler();
        var serverCpu = db.IsSqlite ? null : await ServerCpu.StartAsync(fresh.ConnectionString);
        Settle();
        memory.Start();
        var pausedBefore = GC.GetTotalPauseDuration();
        var total = Stopwatch.StartNew();
        foreach (var (type, file) in Files)
        {
            var sw = Stopwatch.StartNew();
            var summary = await runner.IngestFileAsync(Path.Combine(o.DataDir!, file), file, department.Id, type, "benchmark", actor);
            seconds[type] = sw.Elapsed.TotalSeconds;
            summaries.Add(summary);
            Console.WriteLine(
                $"  {provider} full {type}: {seconds[type]:F2} s  status={summary.Status} read={summary.Read} accepted={summary.Accepted} " +
                $"unchanged={summary.Unchanged} new_versions={summary.NewVersions} rejected={summary.Rejected} subjects_created={summary.SubjectsCreated} late={summary.Late}");
            if (!summary.Processed) throw new BenchmarkFailure($"{file}: status {summary.Status}: {summary.ErrorEn}");
            if (summary.Read != expected[type] || summary.Accepted != expected[type] || summary.Rejected != 0 || summary.Unchanged != 0 || summary.NewVersions != 0)
            {
                var rejects = await services.GetRequiredService<SubmissionStore>().RejectsAsync(summary.SubmissionId, 0, 5);
                throw new BenchmarkFailure(
                    $"{file}: expected {expected[type]} rows read and accepted, none rejected; got read={summary.Read} accepted={summary.Accepted} " +
                    $"rejected={summary.Rejected} unchanged={summary.Unchanged}. First rejects: " +
                    string.Join("; ", rejects.Select(r => $"row {r.RowNumber} {r.Field}: {r.ReasonEn}")));
            }
        }
        var elapsed = total.Elapsed.TotalSeconds;
        memory.Stop();
        Console.WriteLine((db.IsSqlite ? "  stages (writer thread): " : "  stages (resolver and writer, overlapping): ") + string.Join(", ", runner.StageTimes.Snapshot().Select(s => $"{s.Stage} {s.Time.TotalSeconds:F1} s")) +
                          $"; GC pauses (all threads stopped) {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:F1} s" +
                          $" in {memory.Collections} collections ({memory.Generation1Collections} of generation 1, {memory.Generation2Collections} of generation 2)");
        Console.WriteLine("  collections seen: " + memory.CollectionsSeen);
        var serverSeconds = serverCpu?.Seconds ?? 0;
        sqlTimings?.Print(elapsed);
        await analyzer.CancelAsync();
        await analyzing;

        long inDb;
        await using (var conn = await db.OpenAsync())
        {
            inDb = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM records");
        }
        var rows = o.ExpectPenalties + o.ExpectLicences;
        if (inDb != rows) throw new BenchmarkFailure($"records holds {inDb} rows, expected {rows}");
        return new PhaseResult
        {
            Phase = "full", Provider = provider, Rows = rows, Seconds = elapsed, ServerCpuSeconds = serverSeconds,
            PenaltySeconds = seconds["penalty"], LicenceSeconds = seconds["licence"],
            SampledPeakBytes = memory.MaxWorkingSet, ProcessPeakBytes = memory.PeakWorkingSet, ManagedPeakBytes = memory.MaxManaged, Samples = memory.Samples, CpuSeconds = memory.CpuSeconds, AllocatedBytes = memory.AllocatedBytes, Collections = memory.Collections, CommittedPeakBytes = memory.MaxCommitted,
            Accepted = summaries.Sum(s => s.Accepted), Rejected = summaries.Sum(s => s.Rejected), SubjectsCreated = summaries.Sum(s => s.SubjectsCreated),
            RowsInDatabase = inDb, BatchSize = runner.EffectiveBatchSize, DatabaseBytes = await DatabaseSizeAsync(fresh),
            Note = string.Join(", ", new[] { o.SqliteJournal is null ? null : $"journal_mode={o.SqliteJournal}", o.BatchSize is null ? null : $"batch {o.BatchSize}", o.ChunkRows is null ? null : $"chunks of {o.ChunkRows}" }
                .Concat(o.Experiments).Where(n => n is not null)) is { Length: > 0 } note ? note : null,
        };
    }

    /// <summary>Experiment: keeps PostgreSQL's planner statistics fresh while a large file is loaded.</summary>
    private static async Task AnalyzeLoopAsync(string connectionString, CancellationToken ct)
    {
        Console.WriteLine("  experiment: ANALYZE every 2 s");
        try
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                await conn.ExecuteAsync("ANALYZE records; ANALYZE subject_identifiers; ANALYZE subjects;");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ---------------------------------------------------------------- raw loads

    /// <summary>
    /// SQLite's fastest plain load: one prepared INSERT reused for every row, in one transaction per table. Indexed,
    /// the table has the keys of <c>records</c> (see <see cref="CreateTable"/>) and the connection the page cache of
    /// the platform's ingest connection, so the database does the same index work as for the real table.
    /// </summary>
    private static async Task<PhaseResult> RawSqliteAsync(IngestOptions o, bool indexed)
    {
        await using var fresh = await FreshDatabase.CreateAsync("sqlite", o.WorkDir, o.Postgres);
        var catalogue = RecordCatalogue.LoadDefault();
        var seconds = new Dictionary<string, double>();
        long inDb = 0;
        using var memory = new MemorySampler();
        await using (var conn = new SqliteConnection(fresh.ConnectionString))
        {
            conn.Open();
            // The same connection settings as the platform's (XinyongDatabase.OpenAsync, Migrator).
            conn.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;");
            if (indexed) conn.Execute($"PRAGMA cache_size = -{IngestionRunner.SqliteIngestCacheKib}");
            foreach (var (type, file) in Files)
            {
                using var stream = File.OpenRead(Path.Combine(o.DataDir!, file));
                using var header = new CsvTableReader(stream);
                foreach (var sql in CreateTable("sqlite", catalogue[type], header.Header, indexed)) conn.Execute(sql);
            }

            Settle();
            memory.Start();
            foreach (var (type, file) in Files)
            {
                var sw = Stopwatch.StartNew();
                using var stream = new FileStream(Path.Combine(o.DataDir!, file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                using var reader = new CsvTableReader(stream);
                using var tx = conn.BeginTransaction();
                using var insert = conn.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText =
                    $"INSERT INTO raw_{type} ({string.Join(", ", reader.Header.Select(Quote))}) VALUES ({string.Join(',', reader.Header.Select((_, i) => "$p" + i))})";
                var parameters = new SqliteParameter[reader.Header.Count];
                for (var i = 0; i < parameters.Length; i++) parameters[i] = insert.Parameters.Add(new SqliteParameter("$p" + i, null));
                insert.Prepare();
                while (reader.Read())
                {
                    var cells = reader.Current;
                    for (var i = 0; i < parameters.Length; i++) parameters[i].Value = (object?)cells[i] ?? DBNull.Value;
                    insert.ExecuteNonQuery();
                }
                tx.Commit();
                seconds[type] = sw.Elapsed.TotalSeconds;
            }
            memory.Stop();
            foreach (var (type, _) in Files) inDb += conn.ExecuteScalar<long>($"SELECT COUNT(*) FROM raw_{type}");
        }
        return RawResult("sqlite", indexed, o, seconds, memory, inDb, await DatabaseSizeAsync(fresh));
    }

    /// <summary>PostgreSQL's fastest plain load: binary COPY of the same rows (indexed: into a table with the keys of <c>records</c>).</summary>
    private static async Task<PhaseResult> RawPostgresAsync(IngestOptions o, bool indexed)
    {
        await using var fresh = await FreshDatabase.CreateAsync("postgres", o.WorkDir, o.Postgres);
        var catalogue = RecordCatalogue.LoadDefault();
        var seconds = new Dictionary<string, double>();
        long inDb = 0;
        using var memory = new MemorySampler();
        ServerCpu? serverCpu;
        await using (var conn = new NpgsqlConnection(fresh.ConnectionString))
        {
            conn.Open();
            var columns = new Dictionary<string, string>();
            foreach (var (type, file) in Files)
            {
                using var stream = File.OpenRead(Path.Combine(o.DataDir!, file));
                using var header = new CsvTableReader(stream);
                foreach (var sql in CreateTable("postgres", catalogue[type], header.Header, indexed)) conn.Execute(sql);
                columns[type] = string.Join(", ", header.Header.Select(Quote));
            }

            serverCpu = await ServerCpu.StartAsync(fresh.ConnectionString);
            Settle();
            memory.Start();
            foreach (var (type, file) in Files)
            {
                var sw = Stopwatch.StartNew();
                using var stream = new FileStream(Path.Combine(o.DataDir!, file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                using var reader = new CsvTableReader(stream);
                var width = reader.Header.Count;
                using (var copy = conn.BeginBinaryImport($"COPY raw_{type} ({columns[type]}) FROM STDIN (FORMAT BINARY)"))
                {
                    while (reader.Read())
                    {
                        var cells = reader.Current;
                        copy.StartRow();
                        for (var i = 0; i < width; i++)
                        {
                            if (cells[i] is { } v) copy.Write(v, NpgsqlDbType.Text);
                            else copy.WriteNull();
                        }
                    }
                    copy.Complete();
                }
                seconds[type] = sw.Elapsed.TotalSeconds;
            }
            memory.Stop();
            foreach (var (type, _) in Files) inDb += conn.ExecuteScalar<long>($"SELECT COUNT(*) FROM raw_{type}");
        }
        var result = RawResult("postgres", indexed, o, seconds, memory, inDb, await DatabaseSizeAsync(fresh));
        return result with { ServerCpuSeconds = serverCpu?.Seconds ?? 0 };
    }

    private static PhaseResult RawResult(string provider, bool indexed, IngestOptions o, Dictionary<string, double> seconds, MemorySampler memory, long inDb, long dbBytes)
    {
        var rows = o.ExpectPenalties + o.ExpectLicences;
        if (inDb != rows) throw new BenchmarkFailure($"raw tables hold {inDb} rows, expected {rows}");
        Console.WriteLine($"  {provider} {(indexed ? "raw-indexed" : "raw")}: penalty {seconds["penalty"]:F2} s, licence {seconds["licence"]:F2} s, {inDb} rows in the database");
        return new PhaseResult
        {
            Phase = indexed ? "raw-indexed" : "raw", Provider = provider, Rows = rows, Seconds = seconds.Values.Sum(),
            PenaltySeconds = seconds["penalty"], LicenceSeconds = seconds["licence"],
            SampledPeakBytes = memory.MaxWorkingSet, ProcessPeakBytes = memory.PeakWorkingSet, ManagedPeakBytes = memory.MaxManaged, Samples = memory.Samples, CpuSeconds = memory.CpuSeconds, AllocatedBytes = memory.AllocatedBytes, Collections = memory.Collections, CommittedPeakBytes = memory.MaxCommitted,
            Accepted = inDb, RowsInDatabase = inDb, DatabaseBytes = dbBytes,
        };
    }

    /// <summary>
    /// The raw table of a type: one TEXT column per CSV column, nothing else. Indexed, it gets the keys of
    /// <c>records</c> on the CSV columns that hold the same values, so that the database maintains as many B-trees
    /// with the same kind of keys and order as for the real table: an integer primary key (records.id); UNIQUE
    /// (decision number, authority code) for UNIQUE (record_type, business_key); (credit code, decision date) for
    /// (subject_id, decision_date); (authority code, decision date) for (department_id, decision_date).
    /// </summary>
    private static IEnumerable<string> CreateTable(string provider, RecordType type, IReadOnlyList<string> header, bool indexed)
    {
        var columns = header.Select(h => Quote(h) + " TEXT").ToList();
        if (indexed) columns.Insert(0, provider == "sqlite" ? "id INTEGER PRIMARY KEY" : "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        yield return $"CREATE TABLE raw_{type.Code} ({string.Join(", ", columns)})";
        if (!indexed) yield break;
        var number = Quote(type.DecisionNumber);
        var authority = Quote(type.Authority.Code);
        var date = Quote(type.DecisionDate);
        yield return $"CREATE UNIQUE INDEX raw_{type.Code}_key ON raw_{type.Code} ({number}, {authority})";
        yield return $"CREATE INDEX raw_{type.Code}_subject ON raw_{type.Code} ({Quote(type.Subject.CreditCode)}, {date})";
        yield return $"CREATE INDEX raw_{type.Code}_authority ON raw_{type.Code} ({authority}, {date})";
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // ---------------------------------------------------------------- stages without a database (--profile)

    /// <summary>CSV parsing alone, or parsing + catalogue validation (normalisation, checks, content hash, business key).</summary>
    private static PhaseResult Parse(IngestOptions o, bool validate)
    {
        var catalogue = RecordCatalogue.LoadDefault();
        var today = DateOnly.FromDateTime(DateTime.UtcNow + TimeSpan.FromHours(8));
        var seconds = new Dictionary<string, double>();
        long rows = 0, valid = 0;
        using var memory = new MemorySampler();
        Settle();
        memory.Start();
        foreach (var (type, file) in Files)
        {
            var sw = Stopwatch.StartNew();
            using var stream = new FileStream(Path.Combine(o.DataDir!, file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = TableSources.Open(stream, file);
            RowValidator? validator = null;
            if (validate)
            {
                var mapping = HeaderMapping.Map(catalogue[type], reader.Header);
                validator = new RowValidator(catalogue[type], mapping, reader.Header, today);
            }
            while (reader.Read())
            {
                rows++;
                if (validator is not null && validator.Validate(reader.RowNumber, reader.Current).IsValid) valid++;
            }
            seconds[type] = sw.Elapsed.TotalSeconds;
        }
        memory.Stop();
        if (rows != o.ExpectPenalties + o.ExpectLicences) throw new BenchmarkFailure($"read {rows} rows, expected {o.ExpectPenalties + o.ExpectLicences}");
        if (validate && valid != rows) throw new BenchmarkFailure($"{rows - valid} of {rows} rows failed validation");
        return new PhaseResult
        {
            Phase = validate ? "validate" : "parse", Provider = "none", Rows = rows, Seconds = seconds.Values.Sum(),
            PenaltySeconds = seconds["penalty"], LicenceSeconds = seconds["licence"],
            SampledPeakBytes = memory.MaxWorkingSet, ProcessPeakBytes = memory.PeakWorkingSet, ManagedPeakBytes = memory.MaxManaged, Samples = memory.Samples, CpuSeconds = memory.CpuSeconds, AllocatedBytes = memory.AllocatedBytes, Collections = memory.Collections, CommittedPeakBytes = memory.MaxCommitted,
            Accepted = valid,
        };
    }

    // ---------------------------------------------------------------- helpers

    private static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Starts the timed part from a collected heap, so that setup garbage is not charged to the phase.</summary>
    private static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static async Task<long> DatabaseSizeAsync(FreshDatabase fresh)
    {
        if (fresh.SqlitePath is { } path)
        {
            return new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        }
        await using var conn = new NpgsqlConnection(fresh.ConnectionString);
        await conn.OpenAsync();
        return await conn.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");
    }
}

/// <summary>A run that did not load what it should have: the benchmark stops rather than report a meaningless figure.</summary>
public sealed class BenchmarkFailure(string message) : Exception(message);
