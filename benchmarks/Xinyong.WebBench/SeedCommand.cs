using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using Xinyong.Core.Calendar;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Publication;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Platform;

namespace Xinyong.WebBench;

/// <summary>
/// seed: a fresh database with the platform's schema and member units (PlatformSetup), then subjects, identifiers,
/// names, submissions, records and publications bulk-loaded, then the query files. Prints the time of each phase.
/// </summary>
internal static class SeedCommand
{
    public static async Task<int> RunAsync(SeedOptions o)
    {
        var until = SeedOptions.Until;
        var total = Stopwatch.StartNew();
        var phases = new List<(string Phase, TimeSpan Time)>();
        AnsiConsole.MarkupLine($"[bold]seed[/] {o.Provider}: {o.Subjects:N0} subjects, {o.Records:N0} records ({o.Penalties:N0} penalties, {o.Licences:N0} licences), decisions {o.From:yyyy-MM-dd}..{until:yyyy-MM-dd}");
        AnsiConsole.MarkupLine($"target {Markup.Escape(o.Provider == DatabaseProvider.Sqlite ? o.Target : Redact(o.Target))}");

        var sw = Stopwatch.StartNew();
        var generatorRows = DemoCsv.GeneratorRows(o);
        var (penaltiesCsv, licencesCsv, reused) = await ConsoleProgress.RunAsync($"generate CSV ({generatorRows:N0} rows)", generatorRows,
            async report => await DemoCsv.EnsureAsync(o, until, (n, _) => report(n)));
        phases.Add((reused ? "CSV (reused from an earlier seed)" : $"generate CSV with DemoDataGenerator ({generatorRows:N0} rows)", sw.Elapsed));
        ConsoleProgress.Say($"CSV: {penaltiesCsv}, {licencesCsv} ({(reused ? "reused" : "generated")}, {sw.Elapsed.TotalSeconds:F1} s)");

        sw.Restart();
        await CreateFreshAsync(o);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = o.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres",
            ["Database:ConnectionString"] = o.ConnectionString,
        }).Build();
        await using var services = new ServiceCollection().AddXinyongData(configuration).BuildServiceProvider();
        await services.GetRequiredService<PlatformSetup>().InitializeAsync();
        var departments = await services.GetRequiredService<DepartmentStore>().ListAsync();
        phases.Add(("fresh database, migrations, PlatformSetup.InitializeAsync", sw.Elapsed));

        var catalogue = services.GetRequiredService<RecordCatalogue>();
        var engine = services.GetRequiredService<PublicationEngine>();
        var calendar = services.GetRequiredService<WorkingDayCalendar>();
        await using IBulkLoader loader = o.Provider == DatabaseProvider.Sqlite ? new SqliteBulkLoader(o.Target) : new PostgresBulkLoader(o.Target);
        await loader.BeginAsync(default);

        sw.Restart();
        var sources = new[]
        {
            new RowSource(catalogue[PublicationEngine.Penalty], penaltiesCsv, o.Penalties, engine, o, until),
            new RowSource(catalogue[PublicationEngine.Licence], licencesCsv, o.Licences, engine, o, until),
        };
        var assembler = new Assembler(o, departments, calendar, loader, until);
        await ConsoleProgress.RunAsync("load records", o.Records, async report =>
        {
            await assembler.RunAsync(sources, report);
            return 0;
        });
        var submissions = assembler.Submissions();
        await loader.AddSubmissionsAsync(submissions, default);
        phases.Add(("validate, place and stream all rows (indexes dropped)", sw.Elapsed));
        foreach (var s in sources.Where(s => s.Invalid > 0))
        {
            ConsoleProgress.Say($"{s.Type.Code}: {s.Invalid} generated rows failed validation and were skipped, e.g. {string.Join("; ", s.FirstErrors)}");
        }
        ConsoleProgress.Say($"loaded {assembler.Records:N0} records, {assembler.Subjects:N0} subjects, {assembler.Identifiers:N0} identifiers, {assembler.Names:N0} names, {submissions.Count:N0} submissions in {sw.Elapsed.TotalSeconds:F1} s (writer waited {assembler.Waiting.TotalSeconds:F1} s for rows, placed and wrote for {assembler.Placing.TotalSeconds:F1} s); GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F1} s");

        sw.Restart();
        await loader.FinishAsync((step, time) => ConsoleProgress.Say($"  {step}: {time.TotalSeconds:F1} s"), default);
        phases.Add(("indexes, keys, statistics", sw.Elapsed));
        var size = await loader.SizeAsync(default);
        await loader.DisposeAsync();

        sw.Restart();
        await QueryFile.WriteAsync(o);
        phases.Add(("query files", sw.Elapsed));

        var table = new Table().AddColumn("phase").AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var (phase, time) in phases) table.AddRow(Markup.Escape(phase), time.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        table.AddRow("[bold]total[/]", $"[bold]{total.Elapsed.TotalSeconds:F1}[/]");
        AnsiConsole.Write(table);
        var visible = assembler.VisibleOn(until.AddDays(1));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT provider={o.Provider.ToString().ToLowerInvariant()} subjects={assembler.Subjects} records={assembler.Records} penalties={assembler.Penalties} licences={assembler.RecordsOfLicence} " +
            $"identifiers={assembler.Identifiers} names={assembler.Names} former_names={assembler.FormerNames} bracketed={assembler.Bracketed} submissions={submissions.Count} " +
            $"visible_today={visible} size_bytes={size} load_s={phases[2].Time.TotalSeconds:F1} finish_s={phases[3].Time.TotalSeconds:F1} total_s={total.Elapsed.TotalSeconds:F1}"));
        return 0;
    }

    private static async Task CreateFreshAsync(SeedOptions o)
    {
        if (o.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(o.Target)!);
            foreach (var f in new[] { o.Target, o.Target + "-wal", o.Target + "-shm", o.Target + "-journal" })
            {
                if (File.Exists(f)) File.Delete(f);
            }
            return;
        }
        var csb = new NpgsqlConnectionStringBuilder(o.Target);
        var name = csb.Database ?? throw new ArgumentException("The PostgreSQL connection string needs a Database.");
        if (name is "postgres" or "template0" or "template1") throw new ArgumentException($"Refusing to drop the database '{name}'.");
        csb.Database = "postgres";
        await using var conn = new NpgsqlConnection(csb.ToString());
        await conn.OpenAsync();
        await conn.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await conn.ExecuteAsync($"CREATE DATABASE \"{name}\"");
    }

    private static string Redact(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        if (!string.IsNullOrEmpty(b.Password)) b.Password = "***";
        return b.ToString();
    }
}
