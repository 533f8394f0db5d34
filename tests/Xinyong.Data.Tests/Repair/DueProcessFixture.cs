using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Publication;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Repair;

/// <summary>A platform with market-supervision penalties ingested and projected, for objection and repair tests.</summary>
internal sealed record DueProcessFixture(TestPlatform P, long MarketId, long TaxId, IReadOnlyDictionary<string, long> Records, IReadOnlyDictionary<string, long> Subjects)
{
    public static readonly IReadOnlyList<string> Codes = PenaltyFile.Codes(4, seed: 61);

    /// <summary>2024 general penalty (repairable since 2024-06), 2026-09 general penalty (repairable from 2026-12-01), 2025 serious penalty.</summary>
    public static async Task<DueProcessFixture> CreateAsync(string provider, TempDir dir)
    {
        var p = await TestPlatform.CreateAsync(provider);
        var market = (await p.Get<DepartmentStore>().FindAsync("市场监管局"))!;
        var tax = (await p.Get<DepartmentStore>().FindAsync("swj"))!;
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("苏州甲食品有限公司", Codes[0], "昆市监罚〔2024〕11号", "2024-03-15", "3"))
            .Add(PenaltyFile.Row("苏州乙食品有限公司", Codes[1], "昆市监罚〔2026〕12号", "2026-09-01", "3"))
            .Add(PenaltyFile.Row("苏州丙食品有限公司", Codes[2], "昆市监罚〔2025〕13号", "2025-05-06", "3"));
        var path = file.WriteCsv(dir.Path);
        var summary = await p.Get<IngestionRunner>().IngestFileAsync(path, "penalties.csv", market.Id, "penalty", "test", new Actor(ActorKind.Cli, "tester", market.Id));
        summary.Accepted.ShouldBe(3);
        await p.Get<PublicationProjector>().ProjectSubmissionAsync(summary.SubmissionId);
        var records = new Dictionary<string, long>();
        var subjects = new Dictionary<string, long>();
        foreach (var (key, number, code) in new[] { ("old", "昆市监罚〔2024〕11号", Codes[0]), ("recent", "昆市监罚〔2026〕12号", Codes[1]), ("third", "昆市监罚〔2025〕13号", Codes[2]) })
        {
            records[key] = await p.ScalarAsync("SELECT id FROM records WHERE decision_number = @number", new { number });
            subjects[key] = await p.ScalarAsync("SELECT id FROM subjects WHERE uscc = @code", new { code });
        }
        return new DueProcessFixture(p, market.Id, tax.Id, records, subjects);
    }

    public Actor MarketOfficer => new(ActorKind.User, "officer-scjg", MarketId);
    public Handler MarketHandler => Handler.ForDepartment("officer-scjg", MarketId);
    public Actor TaxOfficer => new(ActorKind.User, "officer-swj", TaxId);
    public Handler TaxHandler => Handler.ForDepartment("officer-swj", TaxId);
    public static Actor Public(string code) => new(ActorKind.User, "public:" + code);

    /// <summary>A market serious-dishonesty listing through the platform procedure, published in October 2026; the clock ends on 2026-11-20.</summary>
    public async Task<Xinyong.Core.Lists.ListEntry> ListAsync(string key, long? sourceRecordId)
    {
        SetToday(2026, 10, 9);
        var e = await Xinyong.Data.Tests.Lists.ListStoreTests.DesignateAsync(P, new Xinyong.Core.Lists.ListProposal("serious-dishonesty-market", Subjects[key], 0,
            "生产销售不符合食品安全标准的食品，情节严重", "昆市监罚〔2024〕11号", "《市场监督管理严重违法失信名单管理办法》第二条", sourceRecordId), MarketOfficer);
        SetToday(2026, 11, 20);
        return e;
    }

    public void SetToday(int year, int month, int day, int hour = 10) =>
        P.Clock.Now = new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));
}
