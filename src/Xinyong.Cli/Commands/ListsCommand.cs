using System.CommandLine;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Xinyong.Core.Lists;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using static Xinyong.Cli.Commands.CliErrors;

namespace Xinyong.Cli.Commands;

/// <summary>`xinyong lists types` and `xinyong lists import FILE --type T --department D`.</summary>
internal static class ListsCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create() => new("lists", "Red, black and watch lists: list types and bulk designation files") { Types(), Import() };

    private static Command Types()
    {
        var cmd = new Command("types", "The list types in force: designating departments, period, objection window");
        cmd.SetAction(async (_, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var store = services.GetRequiredService<ListStore>();
            var table = new Table().AddColumn("类型 Type").AddColumn("名称 Name").AddColumn("类别 Kind").AddColumn("认定部门 Departments")
                .AddColumn("期限 Period").AddColumn("异议期 Objection").AddColumn("导入 Import");
            foreach (var t in store.Types.InForce(store.Today))
            {
                table.AddRow(t.Id, Markup.Escape(t.NameZh), t.Kind.ToChinese(), string.Join(",", t.Departments),
                    t.PeriodMonths is { } m ? $"{m} 个月" : "至移出", $"{t.ObjectionWorkingDays} 个工作日", t.DesignatedElsewhere ? "可批量导入" : "平台内程序");
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV (UTF-8 or GB18030), .xlsx or JSON: name, credit code or ID number, grounds, legal basis, decision number, decision date" };
        var type = new Option<string>("--type", "-t") { Description = "List type id (see `xinyong lists types`), e.g. judgment-defaulter", Required = true };
        var department = new Option<string>("--department", "-d") { Description = "Designating department: its code or name (e.g. fy or 人民法院)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object" };
        var rejects = new Option<FileInfo?>("--rejects") { Description = "Where to write rejected rows (.xlsx or .csv); default FILE.rejects.xlsx" };
        var cmd = new Command("import", "Bulk designation from a department's file; re-sending the same file creates no duplicates") { file, type, department, json, rejects };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var asJson = parse.GetValue(json);
            if (!path.Exists) return Fail(asJson, 2, $"文件不存在：{path.FullName}", $"File not found: {path.FullName}");
            await using var services = await CliHost.StartAsync(ct);
            var deptText = parse.GetValue(department)!;
            var dept = await services.GetRequiredService<DepartmentStore>().FindAsync(deptText, ct);
            if (dept is null) return Fail(asJson, 2, $"未知的认定部门“{deptText}”", $"Unknown department '{deptText}'");
            var importer = services.GetRequiredService<ListImporter>();
            ListImport result;
            var watch = Stopwatch.StartNew();
            try
            {
                await using var stream = path.OpenRead();
                result = await importer.ImportAsync(stream, path.Name, parse.GetValue(type)!.Trim(), dept.Id, "cli", CliHost.Operator(dept.Id), ct);
            }
            catch (ListRefusedException ex)
            {
                return Fail(asJson, 2, ex.Refusal.Zh, ex.Refusal.En);
            }
            watch.Stop();

            string? rejectsPath = null;
            if (result.Rejected > 0)
            {
                rejectsPath = parse.GetValue(rejects)?.FullName
                              ?? Path.Combine(path.DirectoryName ?? ".", Path.GetFileNameWithoutExtension(path.Name) + ".rejects.xlsx");
                await using var output = File.Create(rejectsPath);
                if (rejectsPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) await importer.WriteRejectsCsvAsync(result.Id, output, ct);
                else await importer.WriteRejectsXlsxAsync(result.Id, output, ct);
            }

            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    import = result.Id, status = result.Status, department = dept.Code, type = result.ListType, read = result.RowsRead, created = result.Created,
                    unchanged = result.Unchanged, rejected = result.Rejected, subjectsCreated = result.SubjectsCreated, seconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
                    rejectsFile = rejectsPath, error = result.ErrorZh is null ? null : new { zh = result.ErrorZh, en = result.ErrorEn },
                }, Json));
            }
            else if (result.Status != "completed")
            {
                Console.Error.WriteLine($"无法处理该文件：{result.ErrorZh}");
                Console.Error.WriteLine($"The file could not be processed: {result.ErrorEn}");
            }
            else
            {
                var table = new Table().AddColumn("项目 Item").AddColumn(new TableColumn("数量 Count").RightAligned());
                table.AddRow("读取 read", $"{result.RowsRead:N0}");
                table.AddRow("新列入 created", $"{result.Created:N0}");
                table.AddRow("已存在 unchanged", $"{result.Unchanged:N0}");
                table.AddRow("拒收 rejected", $"{result.Rejected:N0}");
                table.AddRow("新建主体 subjects created", $"{result.SubjectsCreated:N0}");
                AnsiConsole.Write(table);
                Console.WriteLine($"导入批次 import #{result.Id}, {watch.Elapsed.TotalSeconds:F1} s");
                if (rejectsPath is not null) Console.WriteLine($"拒收明细 rejected rows: {rejectsPath}");
            }
            return result.Status == "completed" ? 0 : 3;
        });
        return cmd;
    }
}
