using System.Globalization;

namespace Xinyong.CheckBench;

/// <summary>
/// Batch credit check benchmark (issue 5, docs/benchmarks.md "Credit checks") against an existing seeded database:
/// <code>
/// dotnet run -c Release --project benchmarks/Xinyong.CheckBench -- --provider sqlite|postgres --db PATH|CONNSTRING [--out FILE]
/// </code>
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
            return await CheckBenchmark.RunAsync(CheckBenchOptions.Parse(args));
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    public static void Say(string text) => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {text}");

    public const string Usage =
        """
        Usage:
          dotnet run -c Release --project benchmarks/Xinyong.CheckBench -- --provider sqlite|postgres --db PATH|CONNSTRING [options]

          Seed 001 at city scale on a database seeded by benchmarks/Xinyong.WebBench (seed): a batch of enterprises given by
          credit code checked for the employment-stabilisation subsidy, exactly --fail of which must fail; the real batch path
          (file -> CheckRunner -> result file) timed by phase, then the naive way (one match and one facts query per subject),
          then enterprises given by name only with realistic variants of their names. Results are verified and printed as a
          Markdown table. The seeded data is only read: the list entries, check runs and audit rows the benchmark adds are
          deleted at the end (or, after an interruption, at the next start or with --cleanup-only).

        Options:
          --provider sqlite|postgres   database kind (required)
          --db PATH|CONNSTRING         the seeded SQLite file or PostgreSQL connection string (required)
          --rows N                     enterprises in the by-code batch (default 36950)
          --fail N                     of which must fail (default 37)
          --listed N                   of the failing ones, put on a black list by the benchmark; the others have one serious
                                       penalty in the last 12 months in the seeded data (default 20)
          --names N                    enterprises given by name only (default 10000; 0 skips)
          --seed N                     picks and name variants (default 36950)
          --date yyyy-MM-dd            check date (default today, China time)
          --work-dir DIR               input and result files (default /tmp/checkbench)
          --out FILE                   also write the Markdown table to FILE
          --no-naive                   skip the naive way
          --xlsx                       also time writing the result as .xlsx
          --copy                       SQLite: work on a copy of the file in --work-dir, deleted at the end
          --cleanup-only               only remove what an interrupted run left behind
        """;
}
