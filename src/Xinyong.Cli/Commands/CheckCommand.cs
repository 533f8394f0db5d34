using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Xinyong.Core.Checks;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Checks;

namespace Xinyong.Cli.Commands;

/// <summary>`xinyong check --purpose P --input FILE --output FILE`: a batch credit check from the command line.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var purpose = new Option<string>("--purpose", "-p") { Description = "Check purpose id (employment-subsidy, government-procurement, award-review, ...)", Required = true };
        var input = new Option<FileInfo>("--input", "-i") { Description = "CSV or .xlsx with a code column (统一社会信用代码) and/or a name column (名称), up to 100,000 rows", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Result file: .xlsx or .csv", Required = true };
        var reference = new Option<string?>("--reference", "-r") { Description = "The matter the check is for (recorded and audited)" };
        var date = new Option<string?>("--date") { Description = "Check date yyyy-MM-dd (default: today, China time)" };
        var accept = new Option<double?>("--name-accept") { Description = "Lowest name score accepted as a match (default 0.9)" };
        var cmd = new Command("check", "Credit check (信用核查) of a batch of subjects for a purpose; writes a result file") { purpose, input, output, reference, date, accept };
        cmd.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(input)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"文件不存在：{file.FullName} / File not found");
                return 2;
            }
            // Before anything is checked or recorded: the result file is written while the rows are stored.
            if (parse.GetValue(output)!.Directory is { Exists: false } folder)
            {
                Console.Error.WriteLine($"结果文件的目录不存在：{folder.FullName} / The result file's folder does not exist");
                return 2;
            }
            DateOnly? checkDate = null;
            if (parse.GetValue(date) is { } d)
            {
                if (!DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    Console.Error.WriteLine("--date 须为 yyyy-MM-dd / --date must be yyyy-MM-dd");
                    return 2;
                }
                checkDate = parsed;
            }
            IReadOnlyList<CheckInputRow> rows;
            string sha;
            try
            {
                (rows, sha) = CheckInputFile.ReadFile(file.FullName, file.Name);
            }
            catch (SourceFormatException ex)
            {
                Console.Error.WriteLine($"{ex.MessageZh} / {ex.MessageEn}");
                return 2;
            }
            await using var services = await CliHost.StartAsync(ct);
            var runner = services.GetRequiredService<CheckRunner>();
            var options = CheckMatchOptions.Default with { AcceptScore = parse.GetValue(accept) ?? CheckMatchOptions.Default.AcceptScore };
            CheckRun run;
            try
            {
                run = await runner.CreateBatchAsync(parse.GetValue(purpose)!, parse.GetValue(reference), file.Name, sha, null, rows.Count, options, CliHost.Operator(), checkDate, ct);
            }
            catch (CheckPurposeException ex)
            {
                Console.Error.WriteLine($"{ex.MessageZh} / {ex.MessageEn}");
                return 2;
            }

            // The result file is written while the rows are stored; a run that fails leaves no file.
            var target = parse.GetValue(output)!.FullName;
            if (Console.IsOutputRedirected)
            {
                await runner.RunToFileAsync(run.Id, rows, target, ct: ct);
            }
            else
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask($"{run.PurposeId} · {file.Name}", maxValue: 1.0);
                        // Matching is a third of the bar, loading facts the next half, evaluating and storing the rest.
                        var progress = new Progress<CheckProgress>(p =>
                        {
                            var f = p.Total == 0 ? 1.0 : (double)p.Done / p.Total;
                            task.Value = p.Phase switch { "match" => 0.33 * f, "load" => 0.33 + 0.5 * f, "evaluate" => 0.9, _ => 1.0 };
                            task.Description = $"{run.PurposeId} · {file.Name} · {p.Phase} {p.Done:N0}/{p.Total:N0}";
                        });
                        await runner.RunToFileAsync(run.Id, rows, target, progress, ct);
                        task.Value = 1.0;
                    });
            }
            var done = (await services.GetRequiredService<CheckRuns>().GetAsync(run.Id, ct))!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"核查 run #{done.Id}（{done.PurposeId} v{done.PurposeVersion}，核查日 {done.CheckDate:yyyy-MM-dd}）：{done.RowsTotal:N0} 行，通过 pass {done.Passed:N0}，不通过 fail {done.Failed:N0}，需复核 review {done.Review:N0}，未找到 not found {done.NotFound:N0}，不唯一 ambiguous {done.Ambiguous:N0}，{done.ElapsedMs:N0} ms"));
            Console.WriteLine($"结果文件 result: {target}");
            return 0;
        });
        return cmd;
    }
}
