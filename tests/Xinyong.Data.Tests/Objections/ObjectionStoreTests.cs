using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Objections;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Lists;
using Xinyong.Data.Objections;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Data.Tests.Repair;

namespace Xinyong.Data.Tests.Objections;

public sealed class ObjectionStoreTests
{
    private static ObjectionFiling Filing(DueProcessFixture f, string key, ObjectionTargetKind kind = ObjectionTargetKind.Record, long? target = null) => new(
        f.Subjects[key], kind, target ?? f.Records[key], DepartmentId: 0, "online", "王经理", "0512-55550001", "罚款金额应为 0.3 万元，不是 3 万元", "public:" + key);

    [Theory, DatabaseProviders]
    public async Task ForRecords_ListsOnlyItemsUnderOpenObjection_UntilDecided(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<ObjectionStore>();
        var open = f.P.Get<OpenObjections>();
        var all = f.Records.Values.ToList();
        (await open.ForRecordsAsync(all)).ShouldBeEmpty();

        var filed = await store.FileAsync(Filing(f, "old"), DueProcessFixture.Public("old"));
        filed.Reference.ShouldStartWith("YY20261120-");
        filed.Objection.DepartmentId.ShouldBe(f.MarketId);
        (await open.ForRecordsAsync(all)).ShouldBe([f.Records["old"]]);
        (await open.ForRecordsAsync([f.Records["recent"]])).ShouldBeEmpty();
        (await open.ForRecordsAsync([])).ShouldBeEmpty();
        (await open.ForListEntriesAsync([f.Records["old"]])).ShouldBeEmpty(); // same id, other kind of item
        (await open.ForSubjectAsync(f.Subjects["old"])).Single().Reference.ShouldBe(filed.Reference);

        var id = filed.Objection.Id;
        await store.AcknowledgeAsync(id, f.MarketHandler, f.MarketOfficer);
        await store.VerifyAsync(id, f.MarketHandler, "与执法档案比对，金额无误", f.MarketOfficer);
        (await open.ForRecordsAsync(all)).ShouldBe([f.Records["old"]]);
        var decided = await store.DecideAsync(id, f.MarketHandler, ObjectionOutcome.Rejected, "处罚决定书载明罚款 3 万元", null, false, f.MarketOfficer);
        decided.Objection.Status.ShouldBe(ObjectionStatus.Decided);
        (await open.ForRecordsAsync(all)).ShouldBeEmpty();
        (await store.StepsAsync(id)).Select(s => s.ToStatus).ShouldBe(["filed", "acknowledged", "verified", "decided"]);
        (await f.P.Get<CaseFiles>().NoticesAsync(CaseKinds.Objection, id)).Single().TextZh.ShouldContain("异议不成立");
    }

    [Theory, DatabaseProviders]
    public async Task ForListEntries_FlagsTheEntryUnderObjection(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var entry = await f.ListAsync("third", null);
        var filed = await f.P.Get<ObjectionStore>().FileAsync(Filing(f, "third", ObjectionTargetKind.ListEntry, entry.Id), DueProcessFixture.Public("third"));
        filed.Objection.TargetKind.ShouldBe(ObjectionTargetKind.ListEntry);
        (await f.P.Get<OpenObjections>().ForListEntriesAsync([entry.Id, entry.Id + 1])).ShouldBe([entry.Id]);
        (await f.P.Get<OpenObjections>().ForRecordsAsync([entry.Id])).ShouldBeEmpty();
    }

    [Theory, DatabaseProviders]
    public async Task File_Refusals_SecondOpenOtherSubjectUnknownItem(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<ObjectionStore>();
        var first = await store.FileAsync(Filing(f, "old"), DueProcessFixture.Public("old"));
        var second = await Should.ThrowAsync<RefusedException>(() => store.FileAsync(Filing(f, "old"), DueProcessFixture.Public("old")));
        second.Code.ShouldBe("already_open");
        second.Zh.ShouldContain(first.Reference);
        (await Should.ThrowAsync<RefusedException>(() => store.FileAsync(Filing(f, "old") with { SubjectId = f.Subjects["recent"] }, DueProcessFixture.Public("x"))))
            .Code.ShouldBe("target_not_yours");
        (await Should.ThrowAsync<RefusedException>(() => store.FileAsync(Filing(f, "old", target: 987654), DueProcessFixture.Public("old"))))
            .Code.ShouldBe("target_unknown");
        (await f.P.ScalarAsync("SELECT COUNT(*) FROM objections")).ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task Decide_TwiceOrByAnotherDepartment_IsRefusedAndStoredStateUnchanged(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<ObjectionStore>();
        var id = (await store.FileAsync(Filing(f, "old"), DueProcessFixture.Public("old"))).Objection.Id;
        (await Should.ThrowAsync<RefusedException>(() => store.AcknowledgeAsync(id, f.TaxHandler, f.TaxOfficer))).Code.ShouldBe("not_your_department");
        await store.AcknowledgeAsync(id, f.MarketHandler, f.MarketOfficer);
        await store.VerifyAsync(id, f.MarketHandler, "核查无误", f.MarketOfficer);
        (await Should.ThrowAsync<RefusedException>(() => store.DecideAsync(id, f.TaxHandler, ObjectionOutcome.Rejected, "x", null, false, f.TaxOfficer)))
            .Code.ShouldBe("not_your_department");
        await store.DecideAsync(id, f.MarketHandler, ObjectionOutcome.Rejected, "处罚决定无误", null, false, f.MarketOfficer);
        var twice = await Should.ThrowAsync<RefusedException>(() => store.DecideAsync(id, f.MarketHandler, ObjectionOutcome.Rejected, "again", null, false, f.MarketOfficer));
        twice.Code.ShouldBe("already_decided");
        var stored = (await store.GetAsync(id))!.Objection;
        stored.Reasons.ShouldBe("处罚决定无误");
        (await store.StepsAsync(id)).Count.ShouldBe(4);
    }

    [Theory, DatabaseProviders]
    public async Task EscalateOverdue_AfterTheStepDeadline_OnceAndNotice(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<ObjectionStore>();
        var filed = await store.FileAsync(Filing(f, "old"), DueProcessFixture.Public("old"));
        filed.Objection.AcknowledgeBy.ShouldBe(new DateOnly(2026, 11, 25));
        (await store.FindForSubjectAsync(filed.Reference, "051255550001"))!.Objection.Id.ShouldBe(filed.Objection.Id);
        (await store.FindForSubjectAsync(filed.Reference, "")).ShouldBeNull();

        f.SetToday(2026, 11, 25, 18);
        (await store.EscalateOverdueAsync(Actor.SystemActor)).ShouldBe(0);
        f.SetToday(2026, 11, 26);
        (await store.EscalateOverdueAsync(Actor.SystemActor)).ShouldBe(1);
        (await store.EscalateOverdueAsync(Actor.SystemActor)).ShouldBe(0);
        (await store.ListAsync(departmentId: f.MarketId, open: true)).Single().Objection.EscalatedOn.ShouldBe(new DateOnly(2026, 11, 26));
        (await store.ListAsync(departmentId: f.TaxId, open: true)).ShouldBeEmpty();
        (await store.ListAsync(open: false)).ShouldBeEmpty();
        (await f.P.Get<CaseFiles>().NoticesAsync(CaseKinds.Objection)).Single().Kind.ShouldBe("escalated");
    }

    [Theory, DatabaseProviders]
    public async Task ForCheckResults_ObjectionGoesToTheDepartmentThatRanTheCheck(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        long result;
        await using (var conn = await f.P.Db.OpenAsync())
        {
            var run = await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn,
                """
                INSERT INTO check_runs (purpose_id, purpose_version, rule_hash, check_date, mode, status, actor, actor_kind, department_id, created_at)
                VALUES ('employment-subsidy', 1, 'h', @on, 'single', 'done', 'officer-swj', 'user', @dept, @now) RETURNING id
                """, new { on = new DateOnly(2026, 11, 20), dept = f.TaxId, now = f.P.Clock.GetUtcNow().UtcDateTime });
            result = await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn,
                "INSERT INTO check_results (run_id, row_number, subject_id, match_method, outcome, reasons) VALUES (@run, 1, @subject, 'code', 'fail', '[]') RETURNING id",
                new { run, subject = f.Subjects["old"] });
        }
        var filed = await f.P.Get<ObjectionStore>().FileAsync(Filing(f, "old", ObjectionTargetKind.CheckResult, result), DueProcessFixture.Public("old"));
        filed.Objection.DepartmentId.ShouldBe(f.TaxId);
        (await f.P.Get<OpenObjections>().ForCheckResultsAsync([result])).ShouldBe([result]);
        (await Should.ThrowAsync<RefusedException>(() => f.P.Get<ObjectionStore>().AcknowledgeAsync(filed.Objection.Id, f.MarketHandler, f.MarketOfficer)))
            .Code.ShouldBe("not_your_department");
    }
}
