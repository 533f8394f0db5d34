using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Measures;
using Xinyong.Data.Measures;

namespace Xinyong.Cli.Commands;

/// <summary>The joint reward/punishment measure catalogue as a spreadsheet: export the version in force, import a new one.</summary>
internal static class MeasuresCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "Spreadsheet to write (.xlsx)", Required = true };
        var export = new Command("export", "Write the measure catalogue in force to an .xlsx file") { output };
        export.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var store = services.GetRequiredService<MeasureCatalogueStore>();
            var catalogue = await store.CurrentAsync(ct);
            var path = parse.GetValue(output)!.FullName;
            await using (var f = File.Create(path))
            {
                MeasureCatalogueSheet.Write(catalogue, store.Types, await store.DepartmentNamesAsync(ct), f);
            }
            Console.WriteLine($"{catalogue.All.Count} measures, version {catalogue.Version} -> {path}");
            return 0;
        });

        var file = new Argument<FileInfo>("file") { Description = "Catalogue spreadsheet (.xlsx)" };
        var version = new Option<string?>("--version") { Description = "Version label of the new catalogue (default: date and file hash)" };
        var issued = new Option<DateOnly?>("--issued-on") { Description = "Issue date of the catalogue (default: today)" };
        var import = new Command("import", "Validate a catalogue spreadsheet and store it as the version in force (audited)") { file, version, issued };
        import.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var store = services.GetRequiredService<MeasureCatalogueStore>();
            var f = parse.GetValue(file)!;
            try
            {
                await using var s = f.OpenRead();
                var c = await store.ImportXlsxAsync(s, f.Name, parse.GetValue(version), parse.GetValue(issued), CliHost.Operator(), ct);
                Console.WriteLine($"imported version {c.Version}: {c.All.Count} measures");
                return 0;
            }
            catch (CatalogueInvalidException e)
            {
                foreach (var i in e.Issues) Console.Error.WriteLine($"{(i.Row is null ? "" : $"row {i.Row}\t")}{i.MeasureId}\t{i.Field}\t{i.Zh}");
                Console.Error.WriteLine($"{e.Issues.Count} problems; nothing imported");
                return 1;
            }
            catch (RefusedException e)
            {
                Console.Error.WriteLine($"{e.Code}: {e.Zh}");
                return 1;
            }
        });
        return new Command("measures", "Joint reward and punishment measure catalogue (联合奖惩措施清单)") { export, import };
    }
}
