using System.Text.Json;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Cli;

/// <summary>Drives the real `xinyong` executable as a user would, checking output and exit codes.</summary>
public sealed class CliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(string dbPath, params string[] args) => CliProcess.RunAsync(dbPath, args);

    [Fact]
    public async Task CodesCheck_ValidAndInvalid_PrintsReasonsAndExitCode()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var ok = await RunAsync(db, "codes", "check", "91350100M000100Y43", "110108000000016");
        ok.Exit.ShouldBe(0);
        ok.Out.ShouldContain("91350100M000100Y43\t统一社会信用代码\t有效");

        var bad = await RunAsync(db, "codes", "check", "--json", "91350100M000100Y44", "600037341");
        bad.Exit.ShouldBe(1);
        var json = JsonDocument.Parse(bad.Out).RootElement;
        json[0].GetProperty("valid").GetBoolean().ShouldBeFalse();
        json[0].GetProperty("issues")[0].GetProperty("code").GetString().ShouldBe("check_char");
        json[1].GetProperty("kind").GetString().ShouldBe("organization_code");
    }

    [Fact]
    public async Task Ingest_FileWithBadRow_PrintsJsonSummaryAndWritesRejectsFile()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var codes = PenaltyFile.Codes(2, seed: 41);
        var path = new PenaltyFile()
            .Add(PenaltyFile.Row("甲", codes[0], "文号1"))
            .Add(PenaltyFile.Row("乙", "91350100M000100Y44", "文号2"))
            .WriteCsv(dir.Path);

        var run = await RunAsync(db, "ingest", path, "--type", "penalty", "--department", "市场监管局", "--json");

        run.Exit.ShouldBe(0, run.Err);
        var s = JsonDocument.Parse(run.Out).RootElement;
        (s.GetProperty("read").GetInt64(), s.GetProperty("accepted").GetInt64(), s.GetProperty("unchanged").GetInt64(),
            s.GetProperty("newVersions").GetInt64(), s.GetProperty("rejected").GetInt64()).ShouldBe((2L, 1L, 0L, 0L, 1L));
        File.Exists(s.GetProperty("rejectsFile").GetString()).ShouldBeTrue();

        var again = await RunAsync(db, "ingest", path, "--type", "penalty", "--department", "scjgj", "--json");
        JsonDocument.Parse(again.Out).RootElement.GetProperty("unchanged").GetInt64().ShouldBe(1);
    }

    /// <summary>
    /// `xinyong check` as a clerk runs it: subjects known from an ingest are matched by code and pass, an unknown code is
    /// reported not found; the result file holds one line per input row. An output folder that does not exist is refused
    /// before anything is checked.
    /// </summary>
    [Fact]
    public async Task Check_CodesFile_WritesResultFileWithEveryRow()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var codes = PenaltyFile.Codes(4, seed: 43);
        var penalties = new PenaltyFile().Add(PenaltyFile.Row("甲", codes[0], "文号1")).Add(PenaltyFile.Row("乙", codes[1], "文号2")).WriteCsv(dir.Path);
        (await RunAsync(db, "ingest", penalties, "--type", "penalty", "--department", "市场监管局", "--json")).Exit.ShouldBe(0);
        var input = Path.Combine(dir.Path, "qiye.csv");
        await File.WriteAllTextAsync(input, $"统一社会信用代码\n{codes[0]}\n{codes[1]}\n{codes[2]}\n");
        var output = Path.Combine(dir.Path, "result.csv");

        var run = await RunAsync(db, "check", "--purpose", "award-review", "--input", input, "--output", output, "--reference", "测试");

        run.Exit.ShouldBe(0, run.Err);
        run.Out.ShouldContain("3 行");
        var lines = await File.ReadAllLinesAsync(output);
        lines.Length.ShouldBe(4);
        lines[1].ShouldStartWith($"1,{codes[0]},");
        lines[1].ShouldContain("代码精确匹配");
        lines[3].ShouldStartWith($"3,{codes[2]},");
        lines[3].ShouldContain(",not_found,");

        var nowhere = await RunAsync(db, "check", "--purpose", "award-review", "--input", input, "--output", Path.Combine(dir.Path, "no-such-folder", "r.csv"));
        nowhere.Exit.ShouldBe(2);
        nowhere.Err.ShouldContain("结果文件的目录不存在");
    }

    [Fact]
    public async Task Ingest_UnreadableInput_ExitsNonZeroWithReason()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var missing = await RunAsync(db, "ingest", Path.Combine(dir.Path, "nope.csv"), "--type", "penalty", "--department", "市场监管局");
        missing.Exit.ShouldNotBe(0);
        missing.Err.ShouldContain("文件不存在");

        var path = new PenaltyFile().Add(PenaltyFile.Row("甲", PenaltyFile.Codes(1)[0], "1")).WriteCsv(dir.Path);
        var unknownDept = await RunAsync(db, "ingest", path, "--type", "penalty", "--department", "不存在局");
        unknownDept.Exit.ShouldBe(2);
        unknownDept.Err.ShouldContain("未知的报送单位");

        var empty = Path.Combine(dir.Path, "empty.csv");
        await File.WriteAllTextAsync(empty, "");
        var e = await RunAsync(db, "ingest", empty, "--type", "penalty", "--department", "市场监管局", "--json");
        e.Exit.ShouldBe(3);
        JsonDocument.Parse(e.Out).RootElement.GetProperty("error").GetProperty("zh").GetString()!.ShouldContain("空");
    }

    [Fact]
    public async Task DemoGenerate_IsDeterministicForASeed()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var a = await RunAsync(db, "demo", "generate", "--subjects", "200", "--records", "1000", "--out", Path.Combine(dir.Path, "a"), "--seed", "3");
        var b = await RunAsync(db, "demo", "generate", "--subjects", "200", "--records", "1000", "--out", Path.Combine(dir.Path, "b"), "--seed", "3");
        a.Exit.ShouldBe(0, a.Err);
        b.Exit.ShouldBe(0);
        foreach (var f in new[] { "penalties.csv", "licences.csv" })
        {
            (await File.ReadAllBytesAsync(Path.Combine(dir.Path, "a", f))).ShouldBe(await File.ReadAllBytesAsync(Path.Combine(dir.Path, "b", f)));
        }
        var lines = File.ReadLines(Path.Combine(dir.Path, "a", "penalties.csv")).Count() + File.ReadLines(Path.Combine(dir.Path, "a", "licences.csv")).Count() - 2;
        lines.ShouldBe(1000);
    }
}
