using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.DueProcess;

public sealed class DueProcessCliTests
{
    [Fact]
    public async Task Overdue_ObjectionPastItsAcknowledgeDeadline_IsListedUnderTheFindingDepartment()
    {
        await using var host = await WebHost.StartAsync(clock: new FakeClock(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8))));
        var db = host.Get<IConfiguration>()["Database:ConnectionString"]!["Data Source=".Length..];
        var (old, _, _) = await DueProcessApiTests.LoadAsync(host);
        var filed = await host.CreateClient().PostAsJsonAsync("/api/v1/public/objections", new
        {
            code = DueProcessApiTests.Codes[0], targetKind = "Record", targetId = old, contactName = "陈经理", contactPhone = "0512-57001234", claim = "罚款金额应为 0.3 万元",
        });
        filed.StatusCode.ShouldBe(HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
        var objection = JsonDocument.Parse(await filed.Content.ReadAsStringAsync()).RootElement;
        var reference = objection.GetProperty("reference").GetString()!;
        objection.GetProperty("acknowledgeBy").GetString().ShouldBe("2026-11-25");

        var onTime = await CliProcess.RunAsync(db, "due-process", "overdue", "--on", "2026-11-25", "--json");
        onTime.Exit.ShouldBe(0, onTime.Err);
        JsonDocument.Parse(onTime.Out).RootElement.GetProperty("overdue").GetInt32().ShouldBe(0);

        var late = await CliProcess.RunAsync(db, "due-process", "overdue", "--on", "2026-11-27", "--json");
        late.Exit.ShouldBe(0, late.Err);
        var dept = JsonDocument.Parse(late.Out).RootElement.GetProperty("departments").EnumerateArray().Single();
        dept.GetProperty("name").GetString().ShouldBe("市场监管局");
        var c = dept.GetProperty("cases").EnumerateArray().Single();
        (c.GetProperty("kind").GetString(), c.GetProperty("reference").GetString(), c.GetProperty("due").GetString(), c.GetProperty("daysLate").GetInt32())
            .ShouldBe(("objection", reference, "2026-11-25", 2));

        var table = await CliProcess.RunAsync(db, "due-process", "overdue", "--on", "2026-11-27");
        table.Exit.ShouldBe(0, table.Err);
        table.Out.ShouldContain(reference);
        table.Out.ShouldContain("市场监管局");

        var other = await CliProcess.RunAsync(db, "due-process", "overdue", "--on", "2026-11-27", "--department", "税务局");
        other.Exit.ShouldBe(0, other.Err);
        other.Out.ShouldContain("没有逾期");
        (await CliProcess.RunAsync(db, "due-process", "overdue", "--department", "不存在的局")).Exit.ShouldBe(2);
    }
}
