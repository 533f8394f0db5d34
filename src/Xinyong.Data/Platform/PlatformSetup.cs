using Xinyong.Data.Publication;
using Xinyong.Data.Articles;
using Xinyong.Data.Search;
using System.Text;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Demo;
using Xinyong.Core.Departments;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Accounts;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;

namespace Xinyong.Data.Platform;

/// <summary>First start: schema, member units, catalogue, the first administrator, and optionally demo data.</summary>
public sealed class PlatformSetup(
    XinyongDatabase db, DepartmentStore departments, AccountStore accounts, RecordCatalogue catalogue, IngestionRunner runner, PublicationProjector projector,
    ArticleStore articles, SubjectNames subjectNames, TimeProvider clock)
{
    public const string DemoAdminUser = "admin";
    public const string DemoAdminPassword = "xinyong-demo";
    public const string DemoOfficerUser = "scjg";
    public const string DemoOfficerPassword = "xinyong-demo";

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await Migrator.ApplyAsync(db, ct);
        await departments.SeedAsync(MemberUnits.LoadDefault(), ct);
        await using var conn = await db.OpenAsync(ct);
        foreach (var type in catalogue.Types)
        {
            await conn.ExecuteAsync(
                "INSERT INTO catalogue_entries (code, version, definition, created_at) VALUES (@Code, @Version, @definition, @now) ON CONFLICT (code, version) DO NOTHING",
                new { type.Code, type.Version, definition = RecordCatalogue.Serialize(type), now = clock.GetUtcNow().UtcDateTime });
        }
    }

    /// <summary>Demo accounts and data, only when the database holds no records yet. Returns false when skipped.</summary>
    public async Task<bool> LoadDemoAsync(int subjects, int records, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        await using (var conn = await db.OpenAsync(ct))
        {
            if (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions") > 0) return false;
        }
        var system = Actor.SystemActor;
        var market = (await departments.FindAsync("市场监管局", ct))!;
        if (await accounts.FindUserAsync(DemoAdminUser, ct) is null)
            await accounts.CreateUserAsync(DemoAdminUser, "信用办管理员", DemoAdminPassword, Roles.Admin, null, system, ct);
        if (await accounts.FindUserAsync(DemoOfficerUser, ct) is null)
            await accounts.CreateUserAsync(DemoOfficerUser, "市场监管局报送员", DemoOfficerPassword, Roles.Officer, market.Id, system, ct);

        var dir = Path.Combine(Path.GetTempPath(), "xinyong-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            progress?.Report($"generating {subjects} subjects and {records} records");
            var summary = DemoDataGenerator.Generate(new DemoOptions(subjects, records, Until: DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1)), dir);
            foreach (var file in summary.Files)
            {
                var type = Path.GetFileName(file).StartsWith("pen", StringComparison.Ordinal) ? "penalty" : "licence";
                foreach (var (department, part) in await SplitByAuthorityAsync(file, catalogue[type], dir, ct))
                {
                    progress?.Report($"ingesting {Path.GetFileName(part)}");
                    var ingested = await runner.IngestFileAsync(part, Path.GetFileName(part), department.Id, type, "demo", new Actor(ActorKind.System, "demo-loader", department.Id), ct: ct);
                    await projector.ProjectSubmissionAsync(ingested.SubmissionId, ct);
                }
            }
            await RenameSomeAsync(ct);
            await DemoArticles.SeedAsync(articles, system, ct);
            return true;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A few demo companies change their name (as real ones do), so that search by former name and the 曾用名 line of
    /// the subject page have something to show.
    /// </summary>
    private async Task RenameSomeAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var picks = (await conn.QueryAsync<(long Id, string Name)>(
            "SELECT id, name FROM subjects WHERE kind = 'legal_person' AND name LIKE '昆山%有限公司' ORDER BY id LIMIT 40")).Where((_, i) => i % 2 == 0).ToList();
        foreach (var (id, name) in picks)
        {
            var core = name["昆山".Length..].Replace("有限责任公司", "", StringComparison.Ordinal).Replace("股份有限公司", "", StringComparison.Ordinal)
                .Replace("有限公司", "", StringComparison.Ordinal);
            await subjectNames.RecordNameAsync(id, $"江苏{core}集团有限公司", clock.GetUtcNow().UtcDateTime, ct);
        }
    }

    /// <summary>Demo files name many authorities; each department submits its own rows, as in real life.</summary>
    private async Task<IReadOnlyList<(Department Department, string Path)>> SplitByAuthorityAsync(string file, RecordType type, string dir, CancellationToken ct)
    {
        var all = await departments.ListAsync(ct);
        var creditOffice = all.First(d => d.IsCreditOffice);
        var writers = new Dictionary<long, (Department Department, string Path, StreamWriter Writer)>();
        var byAuthority = new Dictionary<string, Department>(StringComparer.Ordinal);
        await using (var stream = File.OpenRead(file))
        using (var reader = new CsvTableReader(stream))
        {
            var authority = reader.Header.ToList().IndexOf(type.Authority.Name);
            var header = string.Join(',', reader.Header);
            while (reader.Read())
            {
                var name = reader.Current[authority] ?? "";
                if (!byAuthority.TryGetValue(name, out var dept))
                {
                    dept = all.FirstOrDefault(d => d.IsNamedBy(name)) ?? creditOffice;
                    byAuthority[name] = dept;
                }
                if (!writers.TryGetValue(dept.Id, out var w))
                {
                    var path = System.IO.Path.Combine(dir, $"{type.Code}-{dept.Code}.csv");
                    w = (dept, path, new StreamWriter(path, false, new UTF8Encoding(false)));
                    await w.Writer.WriteLineAsync(header);
                    writers[dept.Id] = w;
                }
                await w.Writer.WriteLineAsync(CsvText.Line(reader.Current));
            }
        }
        foreach (var w in writers.Values) await w.Writer.DisposeAsync();
        return writers.Values.Select(w => (w.Department, w.Path)).ToList();
    }

}
