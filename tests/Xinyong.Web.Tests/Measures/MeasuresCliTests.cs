using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.Measures;

public sealed class MeasuresCliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(string dbPath, params string[] args) => CliProcess.RunAsync(dbPath, args);

    [Fact]
    public async Task MeasuresExportImport_RoundTripThenTakenVersionRefused()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "x.db");
        var xlsx = Path.Combine(dir.Path, "catalogue.xlsx");
        var export = await RunAsync(db, "measures", "export", "--out", xlsx);
        export.Exit.ShouldBe(0, export.Err);
        export.Out.ShouldContain("version 2026-12-starter");
        File.Exists(xlsx).ShouldBeTrue();

        var import = await RunAsync(db, "measures", "import", xlsx, "--version", "cli-1", "--issued-on", "2026-12-01");
        import.Exit.ShouldBe(0, import.Err);
        import.Out.ShouldContain("imported version cli-1");

        var again = await RunAsync(db, "measures", "import", xlsx, "--version", "cli-1");
        again.Exit.ShouldBe(1);
        again.Err.ShouldContain("version-taken");
    }
}
