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
        try
        {
            var result = o.Phase switch
            {
                "full" => await FullAsync(o, provider),
                "raw" when provider == "sqlite" => await RawSqliteAsync(o),
                "raw" when provider == "postgres" => await RawPostgresAsync(o),
                "parse" => Parse(o, validate: false),
                "validate" => Parse(o, validate: true),
                _ => throw new ArgumentException($"Unknown phase '{o.Phase}' for provider '{provider}'."),
            };
            Console.WriteLine(result.ToLine());
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
                "ALTER TABLE records DROP CONSTRAINT records_department_id_fkey, DROP CONSTRAINT records_subject_id_fkey, DROP CONSTRAINT records_submission_id_fkey");
            Console.WriteLine("  experiment: foreign keys of records dropped");
        }
        using var analyzer = new CancellationTokenSource();
        var analyzing = o.Experiments.Contains("analyze") && !db.IsSqlite ? AnalyzeLoopAsync(fresh.ConnectionString, analyzer.Token) : Task.CompletedTask;

        var department = await services.GetRequiredService<DepartmentStore>().FindAsync("市场监管局")
                         ?? throw new BenchmarkFailure("department 市场监管局 is not seeded");
        var runner = services.GetRequiredService<IngestionRunner>();
        if (o.BatchSize is { } batchSize)
        {
            runner = new IngestionRunner(db, services.GetRequiredService<SubmissionStore>(), services.GetRequiredService<AuditLog>(),
                services.GetRequiredService<RecordCatalogue>(), services.GetRequiredService<WorkingDayCalendar>(), services.GetRequiredService<TimeProvider>())
            { BatchSize = batchSize };
        }
        var actor = new Actor(ActorKind.Cli, "benchmark", department.Id);

        var expected = new Dictionary<string, long> { ["penalty"] = o.ExpectPenalties, ["licence"] = o.ExpectLicences };
        var seconds = new Dictionary<string, double>();
        var summaries = new List<IngestSummary>();
        using var sqlTimings = o.TraceSql ? new SqlTimings() : null;
        using var memory = new MemorySampler();
        Settle();
        memory.Start();
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
            Phase = "full", Provider = provider, Rows = rows, Seconds = elapsed,
            PenaltySeconds = seconds["penalty"], LicenceSeconds = seconds["licence"],
            SampledPeakBytes = memory.MaxWorkingSet, ProcessPeakBytes = memory.PeakWorkingSet, ManagedPeakBytes = memory.MaxManaged, Samples = memory.Samples,
            Accepted = summaries.Sum(s => s.Accepted), Rejected = summaries.Sum(s => s.Rejected), SubjectsCreated = summaries.Sum(s => s.SubjectsCreated),
            RowsInDatabase = inDb, BatchSize = runner.EffectiveBatchSize, DatabaseBytes = await DatabaseSizeAsync(fresh),
            Note = string.Join(", ", new[] { o.SqliteJournal is null ? null : $"journal_mode={o.SqliteJournal}", o.BatchSize is null ? null : $"batch {o.BatchSize}" }
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

    /// <summary>SQLite's fastest plain load: one prepared INSERT reused for every row, in one transaction per table.</summary>
    private static async Task<PhaseResult> RawSqliteAsync(IngestOptions o)
    {
        await using var fresh = await FreshDatabase.CreateAsync("sqlite", o.WorkDir, o.Postgres);
        var seconds = new Dictionary<string, double>();
        long inDb = 0;
        using var memory = new MemorySampler();
        await using (var conn = new SqliteConnection(fresh.ConnectionString))
        {
            conn.Open();
            // The same connection settings as the platform's (XinyongDatabase.OpenAsync, Migrator).
            conn.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;");
            foreach (var (type, file) in Files)
            {
                using var stream = File.OpenRead(Path.Combine(o.DataDir!, file));
                using var header = new CsvTableReader(stream);
                conn.Execute(CreateTable(type, header.Header));
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
                insert.CommandText = $"INSERT INTO raw_{type} VALUES ({string.Join(',', reader.Header.Select((_, i) => "$p" + i))})";
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
        return RawResult("sqlite", o, seconds, memory, inDb, await DatabaseSizeAsync(fresh));
    }

    /// <summary>PostgreSQL's fastest plain load: binary COPY of the same rows.</summary>
    private static async Task<PhaseResult> RawPostgresAsync(IngestOptions o)
    {
        await using var fresh = await FreshDatabase.CreateAsync("postgres", o.WorkDir, o.Postgres);
        var seconds = new Dictionary<string, double>();
        long inDb = 0;
        using var memory = new MemorySampler();
        await using (var conn = new NpgsqlConnection(fresh.ConnectionString))
        {
            conn.Open();
            var columns = new Dictionary<string, string>();
            foreach (var (type, file) in Files)
            {
                using var stream = File.OpenRead(Path.Combine(o.DataDir!, file));
                using var header = new CsvTableReader(stream);
                conn.Execute(CreateTable(type, header.Header));
                columns[type] = string.Join(", ", header.Header.Select(Quote));
            }

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
        return RawResult("postgres", o, seconds, memory, inDb, await DatabaseSizeAsync(fresh));
    }

    private static PhaseResult RawResult(string provider, IngestOptions o, Dictionary<string, double> seconds, MemorySampler memory, long inDb, long dbBytes)
    {
        var rows = o.ExpectPenalties + o.ExpectLicences;
        if (inDb != rows) throw new BenchmarkFailure($"raw tables hold {inDb} rows, expected {rows}");
        Console.WriteLine($"  {provider} raw: penalty {seconds["penalty"]:F2} s, licence {seconds["licence"]:F2} s, {inDb} rows in the database");
        return new PhaseResult
        {
            Phase = "raw", Provider = provider, Rows = rows, Seconds = seconds.Values.Sum(),
            PenaltySeconds = seconds["penalty"], LicenceSeconds = seconds["licence"],
            SampledPeakBytes = memory.MaxWorkingSet, ProcessPeakBytes = memory.PeakWorkingSet, ManagedPeakBytes = memory.MaxManaged, Samples = memory.Samples,
            Accepted = inDb, RowsInDatabase = inDb, DatabaseBytes = dbBytes,
        };
    }

    private static string CreateTable(string type, IReadOnlyList<string> header) =>
        $"CREATE TABLE raw_{type} ({string.Join(", ", header.Select(h => Quote(h) + " TEXT"))})";

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
            SampledPeakBytes = memory.MaxWorkingSet, ProcessPeakBytes = memory.PeakWorkingSet, ManagedPeakBytes = memory.MaxManaged, Samples = memory.Samples,
            Accepted = valid,
        };
    }

    // ---------------------------------------------------------------- helpers

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
