using Xinyong.Data.Publication;
using System.CommandLine;
using System.Text.Json;
using System.Text.Encodings.Web;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using static Xinyong.Cli.Commands.CliErrors;

namespace Xinyong.Cli.Commands;

/// <summary>`xinyong ingest FILE --type penalty|licence --department CODE`.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV (UTF-8 or GB18030), .xlsx or JSON file in the national CF_/XK_ format" };
        var type = new Option<string>("--type", "-t") { Description = "Record type: penalty or licence", Required = true };
        var department = new Option<string>("--department", "-d") { Description = "Submitting member unit: its code or its name as written in the seeds (e.g. 市场监管局)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object" };
        var rejects = new Option<FileInfo?>("--rejects") { Description = "Where to write rejected rows (.xlsx or .csv); default FILE.rejects.xlsx" };
        var cmd = new Command("ingest", "Collect a department's file: validate, resolve subjects, store with provenance") { file, type, department, json, rejects };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var asJson = parse.GetValue(json);
            if (!path.Exists) return Fail(asJson, 2, $"文件不存在：{path.FullName}", $"File not found: {path.FullName}");
            await using var services = await CliHost.StartAsync(ct);
            var catalogue = services.GetRequiredService<RecordCatalogue>();
            var typeCode = parse.GetValue(type)!.Trim().ToLowerInvariant();
            if (!catalogue.TryGet(typeCode, out _))
                return Fail(asJson, 2, $"未知的数据类型“{typeCode}”，可选：{string.Join("、", catalogue.Types.Select(t => t.Code))}", $"Unknown type '{typeCode}'; use one of: {string.Join(", ", catalogue.Types.Select(t => t.Code))}");
            var deptText = parse.GetValue(department)!;
            var dept = await services.GetRequiredService<DepartmentStore>().FindAsync(deptText, ct);
            if (dept is null)
                return Fail(asJson, 2, $"未知的报送单位“{deptText}”。可用 `xinyong departments list` 查看单位代码和名称", $"Unknown department '{deptText}'. See `xinyong departments list`");

            var runner = services.GetRequiredService<IngestionRunner>();
            var actor = CliHost.Operator(dept.Id);
            IngestSummary summary;
            if (asJson || Console.IsOutputRedirected)
            {
                summary = await runner.IngestFileAsync(path.FullName, path.Name, dept.Id, typeCode, "cli", actor, ct: ct);
            }
            else
            {
                summary = null!;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask($"{dept.Name} · {path.Name}", maxValue: 1.0);
                        var progress = new Progress<IngestProgress>(p =>
                        {
                            task.Value = p.Fraction;
                            task.Description = $"{dept.Name} · {path.Name} · {p.RowsDone:N0} 行";
                        });
                        summary = await runner.IngestFileAsync(path.FullName, path.Name, dept.Id, typeCode, "cli", actor, progress, ct);
                        task.Value = 1.0;
                    });
            }

            if (summary.Processed) await services.GetRequiredService<PublicationProjector>().ProjectSubmissionAsync(summary.SubmissionId, ct);

            string? rejectsPath = null;
            if (summary.Rejected > 0)
            {
                var target = parse.GetValue(rejects)?.FullName ?? Path.Combine(path.DirectoryName ?? ".", Path.GetFileNameWithoutExtension(path.Name) + ".rejects.xlsx");
                await using var output = File.Create(target);
                var store = services.GetRequiredService<SubmissionStore>();
                if (target.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) await RejectsExport.WriteCsvAsync(store, summary.SubmissionId, output, ct);
                else await RejectsExport.WriteXlsxAsync(store, summary.SubmissionId, output, ct);
                rejectsPath = target;
            }

            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    submission = summary.SubmissionId,
                    status = summary.Status,
                    department = dept.Code,
                    type = typeCode,
                    read = summary.Read,
                    accepted = summary.Accepted,
                    unchanged = summary.Unchanged,
                    newVersions = summary.NewVersions,
                    rejected = summary.Rejected,
                    subjectsCreated = summary.SubjectsCreated,
                    late = summary.Late,
                    resumed = summary.Resumed,
                    rejectsFile = rejectsPath,
                    error = summary.ErrorZh is null ? null : new { zh = summary.ErrorZh, en = summary.ErrorEn },
                    issues = summary.Issues.Select(i => new { code = i.Code, zh = i.MessageZh, en = i.MessageEn }),
                }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            else
            {
                PrintSummary(summary, rejectsPath);
            }
            return summary.Processed ? 0 : 3;
        });
        return cmd;
    }

    private static void PrintSummary(IngestSummary s, string? rejectsPath)
    {
        if (!s.Processed)
        {
            Console.Error.WriteLine($"无法处理该文件：{s.ErrorZh}");
            Console.Error.WriteLine($"The file could not be processed: {s.ErrorEn}");
            return;
        }
        var table = new Table().AddColumn("项目 Item").AddColumn(new TableColumn("数量 Count").RightAligned());
        void Row(string label, long n) => table.AddRow(label, n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Row("读取 read", s.Read);
        Row("新增 accepted", s.Accepted);
        Row("未变化 unchanged", s.Unchanged);
        Row("新版本 new versions", s.NewVersions);
        Row("拒收 rejected", s.Rejected);
        Row("新建主体 subjects created", s.SubjectsCreated);
        Row("超期报送 late (>7 working days)", s.Late);
        AnsiConsole.Write(table);
        Console.WriteLine($"报送批次 submission #{s.SubmissionId}{(s.Resumed ? "（续传 resumed）" : "")}");
        foreach (var i in s.Issues) Console.WriteLine($"提示：{i.MessageZh}");
        if (rejectsPath is not null) Console.WriteLine($"拒收明细 rejected rows: {rejectsPath}");
    }
}
