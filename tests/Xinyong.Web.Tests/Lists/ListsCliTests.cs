using System.Text;
using System.Text.Json;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;
using Xinyong.Data.Tests.Lists;

namespace Xinyong.Web.Tests.Lists;

public sealed class ListsCliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(string dbPath, params string[] args) => CliProcess.RunAsync(dbPath, args);

    [Fact]
    public async Task ListsImport_Gb18030CourtFile_PrintsCountsWritesRejects_AndASecondRunCreatesNothing()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var file = DefaulterFile.Generate(15);
        file.Rows.Add(["被执行人甲", null, null, "拒不履行", DefaulterFile.Basis, "(2026)苏0583执99003号", null, "2026-11-18"]);
        var path = Path.Combine(dir.Path, "法院推送.csv");
        await File.WriteAllBytesAsync(path, file.ToCsv(TextEncodings.Gb18030));

        var run = await RunAsync(db, "lists", "import", path, "--type", "judgment-defaulter", "--department", "人民法院", "--json");

        run.Exit.ShouldBe(0, run.Err);
        var s = JsonDocument.Parse(run.Out).RootElement;
        (s.GetProperty("created").GetInt64(), s.GetProperty("rejected").GetInt64(), s.GetProperty("subjectsCreated").GetInt64()).ShouldBe((15L, 1L, 15L));
        var rejects = s.GetProperty("rejectsFile").GetString()!;
        using (var reader = new XlsxTableReader(File.OpenRead(rejects)))
        {
            reader.Read().ShouldBeTrue();
            reader.Current[0].ShouldBe("17");
            reader.Current[3]!.ShouldContain("身份证件号码");
        }

        var second = JsonDocument.Parse((await RunAsync(db, "lists", "import", path, "-t", "judgment-defaulter", "-d", "fy", "--json")).Out).RootElement;
        (second.GetProperty("created").GetInt64(), second.GetProperty("unchanged").GetInt64()).ShouldBe((0L, 15L));

        var refused = await RunAsync(db, "lists", "import", path, "--type", "judgment-defaulter", "--department", "市场监管局");
        refused.Exit.ShouldBe(2);
        refused.Err.ShouldContain("认定部门");
    }
}
