using System.Text;
using System.Text.Json;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Commitments;

public sealed class CommitmentsCliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(string dbPath, params string[] args) => CliProcess.RunAsync(dbPath, args);

    [Fact]
    public async Task CommitmentsImport_ThenCoverage_CountsRowsRefusesBadOnes_AndASecondRunRegistersNothing()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var codes = PenaltyFile.Codes(3, seed: 41);
        var penalties = new PenaltyFile()
            .Add(PenaltyFile.Row("昆山甲贸易有限公司", codes[0], "昆市监处罚〔2026〕501号"))
            .Add(PenaltyFile.Row("昆山乙食品有限公司", codes[1], "昆市监处罚〔2026〕502号"))
            .Add(PenaltyFile.Row("昆山丙餐饮有限公司", codes[2], "昆市监处罚〔2026〕503号"))
            .WriteCsv(dir.Path);
        var ingest = await RunAsync(db, "ingest", penalties, "--type", "penalty", "--department", "市场监管局");
        ingest.Exit.ShouldBe(0, ingest.Err);

        var file = Path.Combine(dir.Path, "承诺.csv");
        await File.WriteAllTextAsync(file, new StringBuilder()
            .AppendLine("承诺编号,承诺类型,统一社会信用代码,承诺事项,承诺内容,承诺日期")
            .AppendLine($"CN-1,主动承诺,{codes[0]},,守法诚信经营，接受社会监督,2026-11-02")
            .AppendLine($"CN-2,告知承诺,{codes[1]},公共场所卫生许可,经营场所符合公共场所卫生条件,2026-11-03")
            .AppendLine("CN-3,主动承诺,91320583MA1K314J7X,,守法经营,2026-11-04")
            .AppendLine($"CN-4,随便承诺,{codes[2]},,守法经营,2026-11-05")
            .ToString(), Encoding.UTF8);

        var run = await RunAsync(db, "commitments", "import", file, "--department", "市场监管局", "--json");

        run.Exit.ShouldBe(0, run.Err);
        var s = JsonDocument.Parse(run.Out).RootElement;
        (s.GetProperty("read").GetInt64(), s.GetProperty("created").GetInt64(), s.GetProperty("unchanged").GetInt64(), s.GetProperty("rejected").GetInt64())
            .ShouldBe((4L, 2L, 0L, 2L));
        var errors = s.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt64(), e.GetProperty("code").GetString())).ToList();
        errors.ShouldBe([(4L, "unknown-subject"), (5L, "unknown-kind")]);

        var again = JsonDocument.Parse((await RunAsync(db, "commitments", "import", file, "-d", "scjgj", "--json")).Out).RootElement;
        (again.GetProperty("created").GetInt64(), again.GetProperty("unchanged").GetInt64()).ShouldBe((0L, 2L));

        var coverage = await RunAsync(db, "commitments", "coverage", "--json");
        coverage.Exit.ShouldBe(0, coverage.Err);
        var report = JsonDocument.Parse(coverage.Out).RootElement;
        report.GetProperty("marketEntities").GetInt64().ShouldBe(3);
        var targets = report.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetProperty("id").GetString()!);
        targets["market-coverage"].GetProperty("covered").GetInt64().ShouldBe(1);
        targets["market-coverage"].GetProperty("percent").GetDecimal().ShouldBe(33.3m);
        var missing = targets["approval-replacing-matters"].GetProperty("mattersMissing").EnumerateArray().Select(m => m.GetString()).ToList();
        missing.Count.ShouldBe(4);
        missing.ShouldNotContain("公共场所卫生许可");

        var table = await RunAsync(db, "commitments", "coverage");
        table.Exit.ShouldBe(0, table.Err);
        table.Out.ShouldContain("3 市场主体");

        var unknown = await RunAsync(db, "commitments", "import", file, "--department", "不存在的局");
        unknown.Exit.ShouldBe(2);
        unknown.Err.ShouldContain("未知的部门");
        var noFile = await RunAsync(db, "commitments", "import", Path.Combine(dir.Path, "missing.csv"), "--department", "scjgj");
        noFile.Exit.ShouldBe(2);
    }
}
