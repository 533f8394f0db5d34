using System.Globalization;

namespace Xinyong.Benchmarks;

/// <summary>
/// Benchmarks of the platform. Usage:
/// <code>
/// dotnet run -c Release --project benchmarks/Xinyong.Benchmarks -- ingest --provider sqlite|postgres|both
///     --rows 100000,250000,500000,1000000 [--subjects N] [--pg "Host=127.0.0.1;Port=55432;Username=postgres"]
///     [--batch-size N] [--chunk-rows N] [--profile] [--out results.md] [--work-dir /tmp] [--seed N] [--keep]
/// </code>
/// See docs/benchmarks.md.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            switch (args[0])
            {
                case "ingest":
                    var options = IngestOptions.Parse(args[1..]);
                    return options.Phase is null
                        ? await IngestBenchmark.RunAsync(options)
                        : await IngestPhases.RunAsync(options);
                default:
                    Console.Error.WriteLine($"Unknown benchmark '{args[0]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    public const string Usage =
        """
        Usage:
          dotnet run -c Release --project benchmarks/Xinyong.Benchmarks -- ingest [options]

        Options:
          --provider sqlite|postgres|both   databases to measure (default both)
          --rows 100000,250000,...          total rows per run, penalties + licences (default 100000,250000,500000,1000000)
          --subjects N                      distinct subjects in the generated data (default rows/10)
          --pg "Host=...;Port=...;Username=..."
                                            PostgreSQL server for throw-away databases
                                            (default Host=127.0.0.1;Port=55432;Username=postgres, see scripts/postgres.sh)
          --batch-size N                    IngestionRunner.BatchSize for the full ingest (default: the runner's own)
          --chunk-rows N                    IngestionRunner.ChunkRows for the full ingest (default: the runner's own: SQLite 500, PostgreSQL 2,000)
          --sqlite-journal MODE             experiment: set PRAGMA journal_mode before the full SQLite ingest (default: as migrated, WAL)
          --profile                         also time CSV parsing alone and parsing + validation (no database)
          --phases full,raw-indexed,raw     phases to run per provider (default all three; raw-indexed: the raw load into a
                                            table with the same keys as records, the baseline of the target)
          --rounds N                        run the phases N times in turn per size (default 1); the table shows the
                                            median of the rounds' ratios and their range
          --seed N                          generator seed (default 20191025)
          --work-dir DIR                    where data files and SQLite databases go (default the temp directory)
          --out FILE                        also write the result table (Markdown) to FILE
          --keep                            keep the generated data files
          --experiment analyze,no-fk        what-if runs that leave src/ untouched (PostgreSQL only): analyze runs
                                            ANALYZE every 2 s during the full ingest (fresh planner statistics);
                                            no-fk drops the subject reference check of records before it (its cost)
          --trace-sql                       PostgreSQL: print the client wall time per kind of statement (diagnostic)
          --keep-db                         keep the full ingest's database (its name is printed)
        """;
}
