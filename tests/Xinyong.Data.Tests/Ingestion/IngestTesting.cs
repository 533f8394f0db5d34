using Xinyong.Core.Auditing;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Ingestion;

/// <summary>What the ingestion tests share: a platform with its market-regulation department, runners and a file ingest.</summary>
internal static class IngestTesting
{
    public static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(10);

    public static async Task<(TestPlatform P, Department Dept)> StartAsync(string provider)
    {
        var p = await TestPlatform.CreateAsync(provider);
        var dept = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        return (p, dept);
    }

    /// <summary>
    /// A runner of its own (as in another process), with a small batch so that a file spans several, and optionally a
    /// chunk size and a hook after each committed batch.
    /// </summary>
    public static IngestionRunner NewRunner(TestPlatform p, int batchSize, int? chunkRows = null, Action<long>? afterBatchCommitted = null) =>
        new(p.Db, p.Get<SubmissionStore>(), p.Get<Xinyong.Data.Auditing.AuditLog>(), p.Get<Core.Catalogue.RecordCatalogue>(),
            p.Get<Core.Calendar.WorkingDayCalendar>(), p.Clock) { BatchSize = batchSize, ChunkRows = chunkRows, AfterBatchCommitted = afterBatchCommitted };

    public static Task<IngestSummary> IngestAsync(TestPlatform p, Department dept, string path, string type = "penalty", IngestionRunner? runner = null) =>
        (runner ?? p.Get<IngestionRunner>()).IngestFileAsync(path, Path.GetFileName(path), dept.Id, type, "test", new Actor(ActorKind.Cli, "tester", dept.Id));
}
