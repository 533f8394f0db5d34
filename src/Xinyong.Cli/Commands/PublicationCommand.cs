using System.CommandLine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Xinyong.Core.Publication;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Publication;

namespace Xinyong.Cli.Commands;

/// <summary>The publication rules: recompute the public projection after the rules change, and explain one record.</summary>
internal static class PublicationCommand
{
    public static Command Create()
    {
        var recompute = new Command("recompute", "Run every record through the publication rules again (after publication-rules.json changed)");
        recompute.SetAction(async (_, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var projector = services.GetRequiredService<PublicationProjector>();
            var rules = services.GetRequiredService<PublicationRules>();
            long total;
            if (Console.IsOutputRedirected)
            {
                total = await projector.ProjectAllAsync(ct: ct);
            }
            else
            {
                total = 0;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("公示规则重新计算 / recomputing", maxValue: 1);
                        total = await projector.ProjectAllAsync(new Progress<(long Done, long Total)>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.Total);
                            task.Value = p.Done;
                        }), ct);
                        task.Value = task.MaxValue;
                    });
            }
            await services.GetRequiredService<AuditLog>().WriteAsync(CliHost.Operator(), "publication.recompute", "publications", null,
                new { records = total, rules = rules.Version }, ct: ct);
            await using var conn = await services.GetRequiredService<XinyongDatabase>().OpenAsync(ct);
            var rows = await conn.QueryAsync<(string RuleSet, string? Grade, bool Published, long Count)>(
                "SELECT rule_set, grade, published, COUNT(*) FROM publications GROUP BY rule_set, grade, published ORDER BY rule_set, grade, published");
            var table = new Table().AddColumns("规则 / rule set", "程度 / grade", "公示 / published", "记录 / records");
            foreach (var r in rows) table.AddRow(r.RuleSet, r.Grade ?? "—", r.Published ? "是 yes" : "否 no", r.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            Console.WriteLine($"{total:N0} records projected with rules {rules.Version}");
            return 0;
        });

        var recordId = new Argument<long>("record") { Description = "Record id" };
        var explain = new Command("explain", "Show what the rules decide for one record and why") { recordId };
        explain.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            await using var conn = await services.GetRequiredService<XinyongDatabase>().OpenAsync(ct);
            var id = parse.GetValue(recordId);
            var row = await conn.QuerySingleOrDefaultAsync<(string Type, string Kind, DateOnly Date, string Data)>(
                "SELECT r.record_type, s.kind, r.decision_date, r.data FROM records r JOIN subjects s ON s.id = r.subject_id WHERE r.id = @id", new { id });
            if (row.Type is null)
            {
                Console.Error.WriteLine($"没有编号为 {id} 的记录 / no record {id}");
                return 1;
            }
            var engine = services.GetRequiredService<PublicationEngine>();
            var d = services.GetRequiredService<PublicationProjector>().Evaluate(row.Type, Xinyong.Core.Subjects.SubjectKinds.FromCode(row.Kind), row.Date, row.Data);
            var set = engine.Rules.Find(d.RuleSetId)!;
            var grid = new Grid().AddColumns(2);
            grid.AddRow("规则 / rule set", $"{set.Id}  {Markup.Escape(set.TitleZh)}");
            grid.AddRow("公示 / published", d.Published ? "是 yes" : $"否 no ({d.WithheldReason})");
            if (d.Grade is { } g) grid.AddRow("程度 / grade", $"{g.ToChinese()} {g.ToCode()} — {Markup.Escape(d.GradeReasonZh ?? "")} ({d.GradeSource})");
            if (d.Sector is not null) grid.AddRow("领域 / sector", d.Sector);
            grid.AddRow("公示起 / from", $"{d.PublishFrom:yyyy-MM-dd}");
            grid.AddRow("可申请修复 / repair from", d.RepairFrom is { } rf ? $"{rf:yyyy-MM-dd}" : "—");
            grid.AddRow("停止公示 / gone from", d.PublishUntil is { } pu ? $"{pu:yyyy-MM-dd}" : "—");
            AnsiConsole.Write(grid);
            return 0;
        });
        return new Command("publication", "Publication rules (公示规则)") { recompute, explain };
    }
}
