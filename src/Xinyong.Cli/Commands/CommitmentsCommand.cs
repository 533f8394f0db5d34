using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Xinyong.Core.Commitments;
using Xinyong.Data.Commitments;
using Xinyong.Data.Departments;
using static Xinyong.Cli.Commands.CliErrors;

namespace Xinyong.Cli.Commands;

/// <summary>`xinyong commitments import FILE --department D` and `xinyong commitments coverage`.</summary>
internal static class CommitmentsCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Command Create() => new("commitments", "Credit commitments (信用承诺): register a department's file, coverage figures") { Import(), Coverage() };

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "CSV (UTF-8 or GB18030), .xlsx or JSON: 承诺类型, 统一社会信用代码, 承诺内容, 承诺日期 (required); 承诺事项, 履约期限, 承诺编号, 承诺依据",
        };
        var department = new Option<string>("--department", "-d") { Description = "Department the commitments were made to: its code or name", Required = true };
        var unpublished = new Option<bool>("--unpublished") { Description = "Register without publishing (published by default)" };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object" };
        var cmd = new Command("import", "Register commitments from a department's file; rows with a commitment number already registered are unchanged")
        {
            file, department, unpublished, json,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var asJson = parse.GetValue(json);
            if (!path.Exists) return Fail(asJson, 2, $"文件不存在：{path.FullName}", $"File not found: {path.FullName}");
            await using var services = await CliHost.StartAsync(ct);
            var deptText = parse.GetValue(department)!;
            var dept = await services.GetRequiredService<DepartmentStore>().FindAsync(deptText, ct);
            if (dept is null) return Fail(asJson, 2, $"未知的部门“{deptText}”", $"Unknown department '{deptText}'");
            CommitmentImportResult result;
            await using (var stream = path.OpenRead())
            {
                result = await services.GetRequiredService<CommitmentImport>().ImportAsync(stream, path.Name, dept.Id, CommitmentChannels.File,
                    CliHost.Operator(dept.Id), publish: !parse.GetValue(unpublished), ct);
            }
            // Nothing read and an error on the file itself (format, missing columns): the file could not be used at all.
            var unreadable = result.Read == 0 && result.Errors.Any(e => e.Row <= 1);
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    status = unreadable ? "failed" : "completed", department = dept.Code, read = result.Read, created = result.Created, unchanged = result.Unchanged,
                    rejected = result.Rejected, errors = result.Errors,
                }, Json));
            }
            else
            {
                var table = new Table().AddColumn("项目 Item").AddColumn(new TableColumn("数量 Count").RightAligned());
                table.AddRow("读取 read", $"{result.Read:N0}");
                table.AddRow("新登记 created", $"{result.Created:N0}");
                table.AddRow("已存在 unchanged", $"{result.Unchanged:N0}");
                table.AddRow("拒收 rejected", $"{result.Rejected:N0}");
                AnsiConsole.Write(table);
                foreach (var e in result.Errors) Console.Error.WriteLine($"row {e.Row}\t{e.Field}\t{e.Code}\t{e.Zh} / {e.En}");
            }
            return unreadable ? 3 : 0;
        });
        return cmd;
    }

    private static Command Coverage()
    {
        var on = new Option<DateOnly?>("--on") { Description = "Day the figures are computed for (default: today)" };
        var json = new Option<bool>("--json") { Description = "Print the whole report as JSON" };
        var cmd = new Command("coverage", "Coverage of credit commitments against the work plan's targets, per kind and per department") { on, json };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var store = services.GetRequiredService<CommitmentStore>();
            var report = await services.GetRequiredService<CommitmentCoverage>().ComputeAsync(parse.GetValue(on) ?? store.Today, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Json));
                return 0;
            }
            string Pct(decimal? p) => p is { } v ? $"{v:0.0}%" : "—";
            var targets = new Table().AddColumn("目标 Target").AddColumn("依据 Source").AddColumn(new TableColumn("覆盖 Covered").RightAligned())
                .AddColumn(new TableColumn("基数 Base").RightAligned()).AddColumn(new TableColumn("比例 %").RightAligned()).AddColumn("目标值 Goal").AddColumn("达标 Met");
            foreach (var t in report.Targets)
            {
                targets.AddRow(t.Target.Id, Markup.Escape(t.Target.SourceZh), $"{t.Covered:N0}", $"{t.Base:N0}", Pct(t.Percent), $"{t.Target.TargetPercent:0}%",
                    t.Met ? "是 yes" : "否 no");
            }
            AnsiConsole.Write(targets);
            foreach (var t in report.Targets.Where(t => t.MattersMissing.Count > 0))
                Console.WriteLine($"{t.Target.Id} 未覆盖事项 matters not covered: {string.Join("、", t.MattersMissing)}");
            var kinds = new Table().AddColumn("承诺类型 Kind").AddColumn(new TableColumn("承诺 Commitments").RightAligned())
                .AddColumn(new TableColumn("覆盖主体 Covered").RightAligned()).AddColumn(new TableColumn("比例 %").RightAligned());
            foreach (var k in report.ByKind)
            {
                var name = store.Kinds.Find(k.Kind, report.On)?.NameZh ?? k.Kind;
                kinds.AddRow(Markup.Escape(name), $"{k.Commitments:N0}", $"{k.Covered:N0}", Pct(k.Percent));
            }
            AnsiConsole.Write(kinds);
            Console.WriteLine($"{report.On:yyyy-MM-dd}: {report.MarketEntities:N0} 市场主体 market entities");
            return 0;
        });
        return cmd;
    }
}
