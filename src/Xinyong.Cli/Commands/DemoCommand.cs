using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Xinyong.Core.Demo;

namespace Xinyong.Cli.Commands;

/// <summary>`xinyong demo generate --subjects N --records M --out DIR`: synthetic data in the national field format.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var subjects = new Option<int>("--subjects") { Description = "Number of subjects", DefaultValueFactory = _ => 5000 };
        var records = new Option<int>("--records") { Description = "Number of records (penalties + licences)", DefaultValueFactory = _ => 50000 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output directory", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same data)", DefaultValueFactory = _ => 20191025 };
        var generate = new Command("generate", "Write penalties.csv and licences.csv with valid codes in Suzhou/Kunshan divisions") { subjects, records, outDir, seed };
        generate.SetAction(parse =>
        {
            var n = parse.GetValue(subjects);
            var m = parse.GetValue(records);
            if (n <= 0 || m < 0)
            {
                Console.Error.WriteLine("--subjects 须大于 0，--records 不能为负 / --subjects must be > 0 and --records >= 0");
                return 2;
            }
            var dir = parse.GetValue(outDir)!;
            dir.Create();
            var sw = Stopwatch.StartNew();
            DemoSummary summary = null!;
            if (Console.IsOutputRedirected)
            {
                summary = DemoDataGenerator.Generate(new DemoOptions(n, m, parse.GetValue(seed)), dir.FullName);
            }
            else
            {
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("生成 generating", maxValue: m);
                        summary = DemoDataGenerator.Generate(new DemoOptions(n, m, parse.GetValue(seed)), dir.FullName, new SyncProgress(v => task.Value = v));
                        task.Value = m;
                    });
            }
            Console.WriteLine($"subjects {summary.Subjects:N0}, penalties {summary.Penalties:N0}, licences {summary.Licences:N0} in {sw.Elapsed.TotalSeconds:F1} s");
            foreach (var f in summary.Files) Console.WriteLine(f);
            return 0;
        });
        return new Command("demo", "Demo data") { generate };
    }

    /// <summary>Progress reported on the generating thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
