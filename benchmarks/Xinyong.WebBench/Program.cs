using System.Globalization;

namespace Xinyong.WebBench;

/// <summary>
/// City-scale data for the public-website benchmark (scripts/bench-web.sh, docs/benchmarks.md "Public website").
/// <code>
/// dotnet run -c Release --project benchmarks/Xinyong.WebBench -- seed --provider sqlite|postgres
///     --subjects 1000000 --records 10000000 --target /tmp/xinyong-bench/xinyong.db | "Host=...;Database=xinyong_bench"
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
            return args[0] switch
            {
                "seed" => await SeedCommand.RunAsync(SeedOptions.Parse(args[1..])),
                "queries" => await QueryFile.RunAsync(SeedOptions.Parse(args[1..])),
                "project" => await ProjectCommand.RunAsync(SeedOptions.Parse(args[1..])),
                "floor" => await FloorCommand.RunAsync(args[1..]),
                _ => throw new ArgumentException($"Unknown verb '{args[0]}'."),
            };
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
          dotnet run -c Release --project benchmarks/Xinyong.WebBench -- seed [options]
              A fresh database with the platform's schema and member units, bulk-loaded with realistic subjects, records
              and their publication rows, then the query files for scripts/bench-web.sh.
          ... -- queries [options]     only (re)write the query files from an existing seeded database
          ... -- project [options]     time PublicationProjector.ProjectAllAsync on an existing database (re-projects every record)
          ... -- floor --provider sqlite|postgres --db PATH|CONNSTRING [--urls URL] [--webroot DIR]
                                       serve the floor routes (parts of a page's work) for scripts/bench-web.sh --app floor

        Options:
          --provider sqlite|postgres   database kind (required)
          --target PATH|CONNSTRING     SQLite file (replaced), or PostgreSQL connection string whose Database is dropped and
                                       created again (required)
          --subjects N                 subjects in the generated data (default 1000000)
          --records N                  records, penalties + licences (default 10000000)
          --penalty-share F            share of penalties (default 0.30)
          --from yyyy-MM-dd            earliest decision date (default 2018-01-01); the latest is yesterday (China time)
          --seed N                     generator seed (default 20191025); the same seed gives the same ids and names
          --work-dir DIR               where the generated CSV is kept and reused (default /tmp/xinyong-bench/csv)
          --queries DIR                where names.txt and ids.txt go (default /tmp/xinyong-bench/queries-<provider>)
          --query-count N              lines in each query file (default 20000)
          --keep-csv                   keep the generated CSV (default: kept; --drop-csv deletes it after loading)
          --drop-csv                   delete the generated CSV after loading
        """;
}
