using System.Globalization;
using Xinyong.Data.Database;

namespace Xinyong.WebBench;

public sealed record SeedOptions
{
    public const string BenchRoot = "/tmp/xinyong-bench";

    public required DatabaseProvider Provider { get; init; }
    public required string Target { get; init; }
    public int Subjects { get; init; } = 1_000_000;
    public long Records { get; init; } = 10_000_000;
    public double PenaltyShare { get; init; } = 0.30;
    public DateOnly From { get; init; } = new(2018, 1, 1);
    public int Seed { get; init; } = 20191025;
    public string WorkDir { get; init; } = Path.Combine(BenchRoot, "csv");
    public string? QueriesDir { get; init; }
    public int QueryCount { get; init; } = 20_000;
    public bool DropCsv { get; init; }

    /// <summary>Decisions end yesterday in China time, as the demo loader of the web host does.</summary>
    public static DateOnly Until => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1);

    public long Penalties => (long)Math.Round(Records * PenaltyShare, MidpointRounding.AwayFromZero);
    public long Licences => Records - Penalties;

    public string Queries => QueriesDir ?? Path.Combine(BenchRoot, $"queries-{Provider.ToString().ToLowerInvariant()}");

    /// <summary>The connection string the platform's own code is given (DatabaseOptions).</summary>
    public string ConnectionString => Provider == DatabaseProvider.Sqlite ? $"Data Source={Target}" : Target;

    public static SeedOptions Parse(string[] args)
    {
        DatabaseProvider? provider = null;
        string? target = null;
        var o = new SeedOptions { Provider = DatabaseProvider.Sqlite, Target = "" };
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
                case "--target": target = Next(); break;
                case "--subjects": o = o with { Subjects = Int(Next()) }; break;
                case "--records": o = o with { Records = Int(Next()) }; break;
                case "--penalty-share": o = o with { PenaltyShare = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--from": o = o with { From = DateOnly.ParseExact(Next(), "yyyy-MM-dd", CultureInfo.InvariantCulture) }; break;
                case "--seed": o = o with { Seed = Int(Next()) }; break;
                case "--work-dir": o = o with { WorkDir = Next() }; break;
                case "--queries": o = o with { QueriesDir = Next() }; break;
                case "--query-count": o = o with { QueryCount = Int(Next()) }; break;
                case "--keep-csv": o = o with { DropCsv = false }; break;
                case "--drop-csv": o = o with { DropCsv = true }; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (provider is null) throw new ArgumentException("--provider is required.");
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("--target is required.");
        if (o.PenaltyShare is < 0 or > 1) throw new ArgumentException("--penalty-share must be between 0 and 1.");
        if (o.From >= Until) throw new ArgumentException("--from must be before yesterday.");
        return o with { Provider = provider.Value, Target = provider == DatabaseProvider.Sqlite ? Path.GetFullPath(target) : target };
    }

    private static int Int(string s) =>
        int.TryParse(s.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new ArgumentException($"'{s}' is not a positive number.");
}
