using System.Globalization;

namespace Xinyong.Benchmarks;

/// <summary>Command-line options of the ingest benchmark, shared by the orchestrator and its per-phase child processes.</summary>
public sealed class IngestOptions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=postgres";

    public IReadOnlyList<string> Providers { get; private set; } = ["sqlite", "postgres"];
    public IReadOnlyList<int> Rows { get; private set; } = [100_000, 250_000, 500_000, 1_000_000];
    public int? Subjects { get; private set; }
    public string Postgres { get; private set; } = DefaultPostgres;
    public int? BatchSize { get; private set; }
    public int? ChunkRows { get; private set; }
    public string? SqliteJournal { get; private set; }
    public bool Profile { get; private set; }
    public IReadOnlyList<string> Phases { get; private set; } = ["full", "raw-indexed", "raw"];

    /// <summary>
    /// Rounds per size and provider: each round runs every phase once, in turn, so that a round's full ingest and raw
    /// load are taken minutes apart at most (this machine's speed drifts by a third within an hour); the table reports
    /// the median of the rounds' ratios with their range.
    /// </summary>
    public int Rounds { get; private set; } = 1;
    public int Seed { get; private set; } = 20191025;
    public string WorkDir { get; private set; } = Path.GetTempPath();
    public string? Out { get; private set; }
    public bool Keep { get; private set; }
    public IReadOnlyList<string> Experiments { get; private set; } = [];
    public bool KeepDatabase { get; private set; }
    public bool TraceSql { get; private set; }

    // Hidden options of a child process measuring one phase.
    public string? Phase { get; private set; }
    public string? DataDir { get; private set; }
    public long ExpectPenalties { get; private set; }
    public long ExpectLicences { get; private set; }

    public static IngestOptions Parse(string[] args)
    {
        var o = new IngestOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {name} needs a value.");
            switch (name)
            {
                case "--provider":
                    var p = Value().Trim().ToLowerInvariant();
                    o.Providers = p switch
                    {
                        "both" => ["sqlite", "postgres"],
                        "sqlite" => ["sqlite"],
                        "postgres" or "postgresql" => ["postgres"],
                        "none" => ["none"], // the database-free stages of --profile
                        _ => throw new ArgumentException($"--provider must be sqlite, postgres or both, not '{p}'."),
                    };
                    break;
                case "--rows":
                    o.Rows = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => PositiveInt(name, s.Replace("_", "", StringComparison.Ordinal))).ToList();
                    if (o.Rows.Count == 0) throw new ArgumentException("--rows needs at least one size.");
                    break;
                case "--subjects": o.Subjects = PositiveInt(name, Value()); break;
                case "--pg": o.Postgres = Value(); break;
                case "--batch-size": o.BatchSize = PositiveInt(name, Value()); break;
                case "--chunk-rows": o.ChunkRows = PositiveInt(name, Value()); break;
                case "--sqlite-journal": o.SqliteJournal = Value(); break;
                case "--profile": o.Profile = true; break;
                case "--phases":
                    o.Phases = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    if (o.Phases.Any(ph => ph is not ("full" or "raw" or "raw-indexed"))) throw new ArgumentException("--phases takes full, raw-indexed and/or raw.");
                    break;
                case "--rounds": o.Rounds = PositiveInt(name, Value()); break;
                case "--seed": o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--work-dir": o.WorkDir = Value(); break;
                case "--out": o.Out = Value(); break;
                case "--keep": o.Keep = true; break;
                case "--experiment":
                    o.Experiments = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    if (o.Experiments.Any(e => e is not ("analyze" or "no-fk")))
                        throw new ArgumentException("--experiment takes analyze and/or no-fk.");
                    break;
                case "--keep-db": o.KeepDatabase = true; break;
                case "--trace-sql": o.TraceSql = true; break;
                case "--phase": o.Phase = Value(); break;
                case "--data": o.DataDir = Value(); break;
                case "--expect-penalties": o.ExpectPenalties = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--expect-licences": o.ExpectLicences = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        return o;
    }

    /// <summary>The options a child process needs to measure one phase of one provider on one data set.</summary>
    public IEnumerable<string> ChildArguments(string phase, string provider, string dataDir, long penalties, long licences)
    {
        yield return "ingest";
        yield return "--phase"; yield return phase;
        yield return "--provider"; yield return provider;
        yield return "--data"; yield return dataDir;
        yield return "--expect-penalties"; yield return penalties.ToString(CultureInfo.InvariantCulture);
        yield return "--expect-licences"; yield return licences.ToString(CultureInfo.InvariantCulture);
        yield return "--pg"; yield return Postgres;
        yield return "--work-dir"; yield return WorkDir;
        if (BatchSize is { } b) { yield return "--batch-size"; yield return b.ToString(CultureInfo.InvariantCulture); }
        if (ChunkRows is { } c) { yield return "--chunk-rows"; yield return c.ToString(CultureInfo.InvariantCulture); }
        if (SqliteJournal is { } j) { yield return "--sqlite-journal"; yield return j; }
        if (Experiments.Count > 0) { yield return "--experiment"; yield return string.Join(',', Experiments); }
        if (KeepDatabase) yield return "--keep-db";
        if (TraceSql) yield return "--trace-sql";
    }

    private static int PositiveInt(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option} takes a positive whole number, not '{text}'.");
}
