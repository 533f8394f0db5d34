using System.Globalization;
using Xinyong.Data.Database;

namespace Xinyong.CheckBench;

public sealed record CheckBenchOptions
{
    public const string BenchRoot = "/tmp/xinyong-bench";

    public required DatabaseProvider Provider { get; init; }
    /// <summary>SQLite file path or PostgreSQL connection string of an existing, seeded database.</summary>
    public required string Db { get; init; }
    public int Rows { get; init; } = 36_950;
    public int Fail { get; init; } = 37;
    /// <summary>How many of the failing subjects are put on a black list by the benchmark; the rest have a serious penalty in the seeded data.</summary>
    public int Listed { get; init; } = 20;
    public int Names { get; init; } = 10_000;
    /// <summary>Batch path and naive way run this many times in turns; the pair with the median ratio is reported.</summary>
    public int Repeat { get; init; } = 1;
    public int Seed { get; init; } = 36950;
    public DateOnly CheckDate { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
    public string WorkDir { get; init; } = "/tmp/checkbench";
    public string? Out { get; init; }
    public bool Naive { get; init; } = true;
    public bool Xlsx { get; init; }
    /// <summary>SQLite: work on a copy of the database file in the work directory (left untouched otherwise: rows added are removed at the end).</summary>
    public bool Copy { get; init; }
    public bool CleanupOnly { get; init; }
    public bool Probe { get; init; }

    public string ConnectionString => Provider == DatabaseProvider.Sqlite ? $"Data Source={Db}" : Db;

    public string ProviderName => Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";

    public static CheckBenchOptions Parse(string[] args)
    {
        DatabaseProvider? provider = null;
        string? db = null;
        var o = new CheckBenchOptions { Provider = DatabaseProvider.Sqlite, Db = "" };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--provider":
                    provider = Next().ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" => DatabaseProvider.Postgres,
                        var p => throw new ArgumentException($"Unknown provider '{p}'."),
                    };
                    break;
                case "--db": db = Next(); break;
                case "--rows": o = o with { Rows = Int(Next()) }; break;
                case "--fail": o = o with { Fail = Int(Next()) }; break;
                case "--listed": o = o with { Listed = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--names": o = o with { Names = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--repeat": o = o with { Repeat = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)) }; break;
                case "--seed": o = o with { Seed = Int(Next()) }; break;
                case "--date": o = o with { CheckDate = DateOnly.ParseExact(Next(), "yyyy-MM-dd", CultureInfo.InvariantCulture) }; break;
                case "--work-dir": o = o with { WorkDir = Next() }; break;
                case "--out": o = o with { Out = Next() }; break;
                case "--no-naive": o = o with { Naive = false }; break;
                case "--xlsx": o = o with { Xlsx = true }; break;
                case "--copy": o = o with { Copy = true }; break;
                case "--cleanup-only": o = o with { CleanupOnly = true }; break;
                case "--probe": o = o with { Probe = true }; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (provider is null) throw new ArgumentException("--provider is required.");
        if (string.IsNullOrWhiteSpace(db)) throw new ArgumentException("--db is required.");
        if (o.Listed < 0 || o.Listed > o.Fail) throw new ArgumentException("--listed must be between 0 and --fail.");
        if (o.Fail >= o.Rows) throw new ArgumentException("--fail must be smaller than --rows.");
        if (o.Copy && provider != DatabaseProvider.Sqlite) throw new ArgumentException("--copy is for SQLite only (PostgreSQL: rows added are removed at the end).");
        if (provider == DatabaseProvider.Sqlite)
        {
            db = Path.GetFullPath(db);
            if (!File.Exists(db)) throw new ArgumentException($"No SQLite database at {db}: seed one first (docs/benchmarks.md).");
        }
        if (Path.GetFullPath(o.WorkDir).StartsWith(BenchRoot, StringComparison.Ordinal) && o.Copy)
            throw new ArgumentException($"--work-dir for a copy must be outside {BenchRoot}.");
        return o with { Provider = provider.Value, Db = db };
    }

    private static int Int(string s) =>
        int.TryParse(s.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new ArgumentException($"'{s}' is not a positive number.");
}
