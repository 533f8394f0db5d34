using Dapper;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Objections;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Lists;
using Xinyong.Data.Objections;
using Xinyong.Data.Publication;
using Xinyong.Data.Repair;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Data.Tests.Repair;

namespace Xinyong.Data.Tests.Objections;

public sealed class ObjectionDecisionTests
{
    private static async Task<long> VerifiedAsync(DueProcessFixture f, string key, ObjectionTargetKind kind = ObjectionTargetKind.Record, long? target = null)
    {
        var store = f.P.Get<ObjectionStore>();
        var filed = await store.FileAsync(new ObjectionFiling(f.Subjects[key], kind, target ?? f.Records[key], 0, "online", "王经理", "0512-55550001",
            "罚款金额应为 0.3 万元，不是 3 万元", "public:" + key), DueProcessFixture.Public(key));
        await store.AcknowledgeAsync(filed.Objection.Id, f.MarketHandler, f.MarketOfficer);
        await store.VerifyAsync(filed.Objection.Id, f.MarketHandler, "与执法档案比对，金额录入有误", f.MarketOfficer);
        return filed.Objection.Id;
    }

    [Theory, DatabaseProviders]
    public async Task Decide_UpheldWithCorrection_WritesNewVersionKeepsHistoryAndRepublishes(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var record = f.Records["old"];
        await f.P.Get<RepairStore>().RecordSharesAsync(f.TaxId, [record]);
        var id = await VerifiedAsync(f, "old");

        var decided = await f.P.Get<ObjectionStore>().DecideAsync(id, f.MarketHandler, ObjectionOutcome.Upheld, null,
            [new FieldCorrection("CF_NR_FK", "3", "0.3"), new FieldCorrection("CF_NR", "警告，罚款人民币5000元", "警告，罚款人民币3000元")], false, f.MarketOfficer);

        decided.CorrectedVersion.ShouldBe(2);
        await using var conn = await f.P.Db.OpenAsync();
        (await conn.QuerySingleAsync<(int Version, decimal Amount)>("SELECT version, amount FROM records WHERE id = @record", new { record })).ShouldBe((2, 0.3m));
        var history = (await conn.QueryAsync<(int Version, string Data)>("SELECT version, data FROM record_history WHERE record_id = @record", new { record })).Single();
        history.Version.ShouldBe(1);
        history.Data.ShouldContain("5000");
        (await conn.ExecuteScalarAsync<string>("SELECT s.channel FROM records r JOIN submissions s ON s.id = r.submission_id WHERE r.id = @record", new { record }))
            .ShouldBe("objection");
        var shown = (await f.P.Get<PublicRecords>().RecordAsync(record, f.P.Get<ObjectionStore>().Today))!;
        shown.FineWan.ShouldBe(0.3m);
        shown.Content.ShouldBe("警告，罚款人民币3000元");
        (await f.P.Get<OpenObjections>().ForRecordsAsync([record])).ShouldBeEmpty();
        var notices = await f.P.Get<CaseFiles>().NoticesAsync(CaseKinds.Objection, id);
        notices.Single(n => n.RecipientKind == "department").DepartmentId.ShouldBe(f.TaxId);
        notices.Single(n => n.RecipientKind == "subject").TextZh.ShouldContain("CF_NR_FK 由“3”更正为“0.3”");
    }

    [Theory, DatabaseProviders]
    public async Task Decide_CorrectionThatBreaksTheRecordOrIsStale_IsRefusedAndNothingChanges(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<ObjectionStore>();
        var id = await VerifiedAsync(f, "old");
        (await Should.ThrowAsync<RefusedException>(() => store.DecideAsync(id, f.MarketHandler, ObjectionOutcome.Upheld, null,
            [new FieldCorrection("CF_JDRQ", "2024-03-15", "2099-01-01")], false, f.MarketOfficer))).Code.ShouldBe("correction_invalid");
        (await Should.ThrowAsync<RefusedException>(() => store.DecideAsync(id, f.MarketHandler, ObjectionOutcome.Upheld, null,
            [new FieldCorrection("CF_NR_FK", "5", "0.3")], false, f.MarketOfficer))).Code.ShouldBe("stale_value");
        (await Should.ThrowAsync<RefusedException>(() => store.DecideAsync(id, f.MarketHandler, ObjectionOutcome.Upheld, null,
            [new FieldCorrection("CF_XDR_SHXYM", DueProcessFixture.Codes[0], DueProcessFixture.Codes[3])], false, f.MarketOfficer))).Code.ShouldBe("identity_field");
        (await store.GetAsync(id))!.Objection.Status.ShouldBe(ObjectionStatus.Verified);
        (await f.P.ScalarAsync("SELECT version FROM records WHERE id = @id", new { id = f.Records["old"] })).ShouldBe(1);
        (await f.P.ScalarAsync("SELECT COUNT(*) FROM record_history")).ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task Decide_UpheldWithdrawal_EndsPublicationAndRemovesListEntriesResting(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var entry = await f.ListAsync("old", f.Records["old"]);
        var id = await VerifiedAsync(f, "old");
        await f.P.Get<ObjectionStore>().DecideAsync(id, f.MarketHandler, ObjectionOutcome.Upheld, null, null, true, f.MarketOfficer);

        (await f.P.Get<PublicRecords>().RecordAsync(f.Records["old"], f.P.Get<ObjectionStore>().Today)).ShouldBeNull();
        await using var conn = await f.P.Db.OpenAsync();
        (await conn.ExecuteScalarAsync<string>("SELECT ended_reason FROM publications WHERE record_id = @id", new { id = f.Records["old"] })).ShouldBe("withdrawn");
        (await f.P.Get<ListStore>().GetAsync(entry.Id))!.Status.ShouldBe(ListStatus.Removed);
    }

    [Theory, DatabaseProviders]
    public async Task Decide_ListEntryWithdrawn_RemovesTheEntry(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var entry = await f.ListAsync("third", null);
        var id = await VerifiedAsync(f, "third", ObjectionTargetKind.ListEntry, entry.Id);
        await f.P.Get<ObjectionStore>().DecideAsync(id, f.MarketHandler, ObjectionOutcome.Upheld, null, null, true, f.MarketOfficer);
        (await f.P.Get<ListEntries>().ActiveEntriesAsync([f.Subjects["third"]], f.P.Get<ObjectionStore>().Today)).ShouldBeEmpty();
    }
}
