using Xinyong.Core.Catalogue;
using Xinyong.Core.Demo;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Core.Tests.Demo;

public sealed class DemoDataGeneratorTests
{
    [Fact]
    public void Generate_RowsPassTheCatalogueValidationAndMatchTheRequestedCount()
    {
        var dir = Path.Combine(Path.GetTempPath(), "xy-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var summary = DemoDataGenerator.Generate(new DemoOptions(300, 3000, Seed: 9, Until: new DateOnly(2026, 11, 19)), dir);
            (summary.Penalties + summary.Licences).ShouldBe(3000);
            var catalogue = RecordCatalogue.LoadDefault();
            foreach (var (file, type) in new[] { ("penalties.csv", "penalty"), ("licences.csv", "licence") })
            {
                using var reader = TableSources.Open(File.OpenRead(Path.Combine(dir, file)), file);
                var mapping = HeaderMapping.Map(catalogue[type], reader.Header);
                mapping.Issues.ShouldNotContain(i => i.Code == "unknown_columns");
                var validator = new RowValidator(catalogue[type], mapping, reader.Header, new DateOnly(2026, 11, 20));
                var kinds = new HashSet<Subjects.SubjectKind>();
                while (reader.Read())
                {
                    var row = validator.Validate(reader.RowNumber, reader.Current);
                    row.IsValid.ShouldBeTrue($"{file} row {reader.RowNumber}: {string.Join("; ", row.Errors.Select(e => e.MessageZh))}");
                    kinds.Add(row.SubjectKind);
                }
                kinds.Count.ShouldBeGreaterThanOrEqualTo(2);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
