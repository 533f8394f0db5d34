using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Objections;
using Xinyong.Core.Repair;
using Xinyong.Data.Departments;
using Xinyong.Data.Objections;
using Xinyong.Data.Repair;

namespace Xinyong.Cli.Commands;

/// <summary>`xinyong due-process overdue`: open objections and repair applications past the deadline of their current step, per department.</summary>
internal static class DueProcessCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record OverdueCase(string Kind, string Reference, long DepartmentId, string Status, string StatusZh, DateOnly Due, int DaysLate, DateOnly? EscalatedOn);

    public static Command Create() => new("due-process", "Objections and credit repair (异议处理, 信用修复)") { Overdue() };

    private static Command Overdue()
    {
        var department = new Option<string?>("--department", "-d") { Description = "Only the cases of this department (its code or name)" };
        var on = new Option<DateOnly?>("--on") { Description = "Day the deadlines are judged against (default: today)" };
        var json = new Option<bool>("--json") { Description = "Print the cases as JSON" };
        var cmd = new Command("overdue", "Open objections and repair applications past the deadline of their current step, per department, most overdue first")
        {
            department, on, json,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var departments = services.GetRequiredService<DepartmentStore>();
            long? scope = null;
            if (parse.GetValue(department) is { } text)
            {
                var d = await departments.FindAsync(text, ct);
                if (d is null)
                {
                    Console.Error.WriteLine($"未知的部门“{text}” / Unknown department '{text}'");
                    return 2;
                }
                scope = d.Id;
            }
            var objections = services.GetRequiredService<ObjectionStore>();
            var repairs = services.GetRequiredService<RepairStore>();
            var today = parse.GetValue(on) ?? objections.Today;
            // Every open case: a department's queue is small, and an overdue case must never be cut off by a page size.
            var cases = (await objections.ListAsync(scope, open: true, limit: int.MaxValue, ct: ct))
                .Where(s => s.Objection.IsOverdue(today))
                .Select(s => new OverdueCase("objection", s.Reference, s.Objection.DepartmentId, ObjectionStore.StatusCode(s.Objection.Status),
                    Objection.StatusZh(s.Objection.Status), s.Objection.NextDeadline!.Value, today.DayNumber - s.Objection.NextDeadline!.Value.DayNumber, s.Objection.EscalatedOn))
                .Concat((await repairs.ListAsync(scope, open: true, limit: int.MaxValue, ct: ct))
                    .Where(s => s.Application.IsOverdue(today))
                    .Select(s => new OverdueCase("repair", s.Reference, s.Application.DepartmentId, RepairStore.StatusCode(s.Application.Status),
                        RepairApplication.StatusZh(s.Application.Status), s.Application.NextDeadline!.Value, today.DayNumber - s.Application.NextDeadline!.Value.DayNumber,
                        s.Application.EscalatedOn)))
                .ToList();
            var names = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
            var groups = cases.GroupBy(c => c.DepartmentId)
                .Select(g => (Department: names.GetValueOrDefault(g.Key), Cases: g.OrderByDescending(c => c.DaysLate).ThenBy(c => c.Reference, StringComparer.Ordinal).ToList()))
                .OrderByDescending(g => g.Cases.Count).ThenBy(g => g.Department?.Code, StringComparer.Ordinal).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    on = today, overdue = cases.Count,
                    departments = groups.Select(g => new { code = g.Department?.Code, name = g.Department?.Name, count = g.Cases.Count, cases = g.Cases.Select(c => new
                    {
                        c.Kind, c.Reference, c.Status, c.StatusZh, c.Due, c.DaysLate, c.EscalatedOn,
                    }) }),
                }, Json));
                return 0;
            }
            if (cases.Count == 0)
            {
                Console.WriteLine($"{today:yyyy-MM-dd} 没有逾期的异议或信用修复申请 / no overdue cases");
                return 0;
            }
            Console.WriteLine($"{today:yyyy-MM-dd} 逾期案件 {cases.Count} 件 / {cases.Count} overdue cases");
            // Plain tab-separated lines rather than a table: a reference must never be wrapped, and the output is easy to grep.
            foreach (var (dept, list) in groups)
            {
                Console.WriteLine($"{dept?.Name ?? "?"} ({dept?.Code})\t{list.Count}");
                foreach (var c in list)
                {
                    Console.WriteLine($"  {c.Reference}\t{(c.Kind == "objection" ? "异议 objection" : "信用修复 repair")}\t{c.StatusZh} {c.Status}\t期限 due {c.Due:yyyy-MM-dd}" +
                        $"\t逾期 {c.DaysLate} 天 days late\t{(c.EscalatedOn is { } e ? $"{e:yyyy-MM-dd} 已上报信用办 escalated" : "未上报 not escalated")}");
                }
            }
            return 0;
        });
        return cmd;
    }
}
