using Dapper;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Repair;
using Xinyong.Data.Auditing;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Lists;
using Xinyong.Data.Publication;
using Xinyong.Data.Repair;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Repair;

public sealed class RepairStoreTests
{
    private static RepairRequest Request(DueProcessFixture f, string key, bool obligations = true, bool commitment = true) => new(
        f.Subjects[key], f.Records[key], DepartmentId: 0, "online", "王经理", "0512-5555 0001", obligations, "罚款已于2024年4月2日缴清，问题食品已下架销毁", commitment,
        "public:" + key);

    private const string Commitment = "本单位承诺严格遵守食品安全法律法规，如有违反，自愿接受惩戒。";

    [Theory, DatabaseProviders]
    public async Task Approve_EndsPublicationListEntriesAndTellsReceivingDepartments(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<RepairStore>();
        var record = f.Records["old"];
        var subject = f.Subjects["old"];
        var entry = await f.ListAsync("old", record);
        (await f.P.Get<ListEntries>().ActiveEntriesAsync([subject], store.Today)).Single().Id.ShouldBe(entry.Id);
        await store.RecordSharesAsync(f.TaxId, [record]);
        await store.RecordSharesAsync(f.MarketId, [record]);
        (await f.P.Get<PublicRecords>().RecordAsync(record, store.Today)).ShouldNotBeNull();

        var submitted = await store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old"));
        submitted.Reference.ShouldStartWith("XF20261120-");
        var a = submitted.Application;
        a.DepartmentId.ShouldBe(f.MarketId); // the finding department, not what the request said
        a.RuleSetId.ShouldBe("2026-repair");
        a.AcceptBy.ShouldBe(new DateOnly(2026, 11, 25));
        a.DecideBy.ShouldBe(new DateOnly(2026, 12, 4));
        (await store.OutlookAsync(record))!.OpenNow.ShouldBeTrue();

        await store.AcceptAsync(a.Id, f.MarketHandler, f.MarketOfficer);
        var approved = await store.ApproveAsync(a.Id, f.MarketHandler, f.MarketOfficer);
        approved.Application.Status.ShouldBe(RepairStatus.Approved);
        approved.CommitmentText.ShouldBe(Commitment);

        (await f.P.Get<PublicRecords>().RecordAsync(record, store.Today)).ShouldBeNull();
        (await f.P.Get<PublicRecords>().SubjectAsync(subject, store.Today))!.Penalties.ShouldBeEmpty();
        (await f.P.ScalarAsync("SELECT COUNT(*) FROM records WHERE id = @record", new { record })).ShouldBe(1); // kept internally
        await using (var conn = await f.P.Db.OpenAsync())
        {
            (await conn.ExecuteScalarAsync<string>("SELECT ended_reason FROM publications WHERE record_id = @record", new { record })).ShouldBe("repaired");
        }
        var ended = (await f.P.Get<ListStore>().GetAsync(entry.Id))!;
        ended.Status.ShouldBe(ListStatus.Ended);
        ended.EndedReason.ShouldBe(ListEndReasons.Repaired);
        (await f.P.Get<ListEntries>().ActiveEntriesAsync([subject], store.Today)).ShouldBeEmpty();

        var notices = await f.P.Get<CaseFiles>().NoticesAsync(CaseKinds.Repair, a.Id);
        notices.Where(n => n.RecipientKind == "department").Select(n => n.DepartmentId).ShouldBe([f.TaxId]);
        notices.Single(n => n.RecipientKind == "subject").TextZh.ShouldContain("停止公示和共享");
        (await store.StepsAsync(a.Id)).Select(s => s.ToStatus).ShouldBe(["submitted", "accepted", "approved"]);
        (await f.P.Get<AuditLog>().RecentAsync()).Where(x => x.Entity == "repair").Select(x => x.Action).ShouldBe(["repair.approved", "repair.accepted", "repair.submitted"]);

        var again = await Should.ThrowAsync<RefusedException>(() => store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old")));
        again.Code.ShouldBe("already_ended");
    }

    [Theory, DatabaseProviders]
    public async Task Submit_BeforeMinimumPeriod_IsRefusedWithTheDate(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<RepairStore>();
        var outlook = (await store.OutlookAsync(f.Records["recent"]))!;
        outlook.EarliestDate.ShouldBe(new DateOnly(2026, 12, 1));

        var e = await Should.ThrowAsync<RefusedException>(() => store.SubmitAsync(Request(f, "recent"), Commitment, DueProcessFixture.Public("recent")));
        e.Code.ShouldBe("too_early");
        e.Kind.ShouldBe(RefusalKind.TooEarly);
        e.Zh.ShouldContain("2026-12-01");
        (await f.P.ScalarAsync("SELECT COUNT(*) FROM repair_applications")).ShouldBe(0);

        f.SetToday(2026, 12, 1);
        (await store.SubmitAsync(Request(f, "recent"), Commitment, DueProcessFixture.Public("recent"))).Application.EarliestRepairDate.ShouldBe(new DateOnly(2026, 12, 1));
    }

    [Theory, DatabaseProviders]
    public async Task Steps_ByAnotherDepartment_AreRefusedAndChangeNothing(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<RepairStore>();
        var a = (await store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old"))).Application;

        (await Should.ThrowAsync<RefusedException>(() => store.AcceptAsync(a.Id, f.TaxHandler, f.TaxOfficer))).Code.ShouldBe("not_your_department");
        await store.AcceptAsync(a.Id, f.MarketHandler, f.MarketOfficer);
        (await Should.ThrowAsync<RefusedException>(() => store.ApproveAsync(a.Id, f.TaxHandler, f.TaxOfficer))).Kind.ShouldBe(RefusalKind.Forbidden);
        (await store.GetAsync(a.Id))!.Application.Status.ShouldBe(RepairStatus.Accepted);
        (await f.P.Get<PublicRecords>().RecordAsync(f.Records["old"], store.Today)).ShouldNotBeNull();

        var office = Handler.ForCreditOffice("admin");
        (await store.ApproveAsync(a.Id, office, Xinyong.Core.Auditing.Actor.SystemActor)).Application.Status.ShouldBe(RepairStatus.Approved);
        (await Should.ThrowAsync<RefusedException>(() => store.ApproveAsync(a.Id, f.MarketHandler, f.MarketOfficer))).Code.ShouldBe("already_decided");
    }

    [Theory, DatabaseProviders]
    public async Task Reject_GivesReasonsAndReapplyDate_EarlierNewApplicationRefused(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<RepairStore>();
        var a = (await store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old"))).Application;
        (await Should.ThrowAsync<RefusedException>(() => store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old")))).Code.ShouldBe("already_open");

        var rejected = await store.RejectAsync(a.Id, f.MarketHandler, "罚款缴纳凭证与处罚决定金额不符", null, f.MarketOfficer);
        rejected.Application.Status.ShouldBe(RepairStatus.Rejected);
        rejected.Application.ReapplyFrom.ShouldBe(new DateOnly(2026, 12, 20));
        (await f.P.Get<CaseFiles>().NoticesAsync(CaseKinds.Repair, a.Id)).Single().TextZh.ShouldContain("2026-12-20");
        (await store.OutlookAsync(f.Records["old"]))!.ReapplyFrom.ShouldBe(new DateOnly(2026, 12, 20));

        f.SetToday(2026, 12, 19);
        (await Should.ThrowAsync<RefusedException>(() => store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old")))).Code.ShouldBe("reapply_too_early");
        f.SetToday(2026, 12, 21);
        (await store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old"))).Application.Status.ShouldBe(RepairStatus.Submitted);
    }

    [Theory, DatabaseProviders]
    public async Task Submit_WithoutCommitmentOrForAnotherSubject_IsRefused(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<RepairStore>();
        (await Should.ThrowAsync<RefusedException>(() => store.SubmitAsync(Request(f, "old", commitment: false), "", DueProcessFixture.Public("old")))).Code.ShouldBe("commitment_missing");
        (await Should.ThrowAsync<RefusedException>(() => store.SubmitAsync(Request(f, "old"), " ", DueProcessFixture.Public("old")))).Code.ShouldBe("commitment_text_required");
        (await Should.ThrowAsync<RefusedException>(() => store.SubmitAsync(Request(f, "old") with { SubjectId = f.Subjects["third"] }, Commitment, DueProcessFixture.Public("x"))))
            .Code.ShouldBe("record_not_yours");
        (await f.P.ScalarAsync("SELECT COUNT(*) FROM repair_applications")).ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task EscalateOverdue_MarksOnceAndTellsTheCreditOffice_LookupNeedsPhone(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var store = f.P.Get<RepairStore>();
        var s = await store.SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old"));
        (await store.FindForSubjectAsync(s.Reference.ToLowerInvariant(), "0512-55550001"))!.Application.Id.ShouldBe(s.Application.Id);
        (await store.FindForSubjectAsync(s.Reference, "0512-55550002")).ShouldBeNull();

        f.SetToday(2026, 11, 25);
        (await store.EscalateOverdueAsync(Xinyong.Core.Auditing.Actor.SystemActor)).ShouldBe(0);
        f.SetToday(2026, 11, 26);
        (await store.EscalateOverdueAsync(Xinyong.Core.Auditing.Actor.SystemActor)).ShouldBe(1);
        (await store.EscalateOverdueAsync(Xinyong.Core.Auditing.Actor.SystemActor)).ShouldBe(0);
        (await store.GetAsync(s.Application.Id))!.Application.EscalatedOn.ShouldBe(new DateOnly(2026, 11, 26));
        (await f.P.Get<CaseFiles>().NoticesAsync(CaseKinds.Repair, s.Application.Id)).Single().RecipientKind.ShouldBe("credit-office");
    }

    [Theory, DatabaseProviders]
    public async Task Attach_StoresEvidenceWithHash_RefusesWrongType(string provider)
    {
        using var dir = new TempDir();
        var f = await DueProcessFixture.CreateAsync(provider, dir);
        await using var _ = f.P;
        var s = await f.P.Get<RepairStore>().SubmitAsync(Request(f, "old"), Commitment, DueProcessFixture.Public("old"));
        var files = f.P.Get<CaseFiles>();
        var bytes = "%PDF-1.4 receipt"u8.ToArray();
        var file = await files.AttachAsync(CaseKinds.Repair, s.Application.Id, "../缴款凭证.pdf", bytes, DueProcessFixture.Public("old"));
        file.FileName.ShouldBe("缴款凭证.pdf");
        file.Sha256.Length.ShouldBe(64);
        var (stored, content) = (await files.ContentAsync(file.Id))!.Value;
        content.ShouldBe(bytes);
        stored.Size.ShouldBe(bytes.Length);
        (await files.EvidenceAsync(CaseKinds.Repair, s.Application.Id)).Count.ShouldBe(1);
        (await Should.ThrowAsync<RefusedException>(() => files.AttachAsync(CaseKinds.Repair, s.Application.Id, "a.exe", bytes, DueProcessFixture.Public("old"))))
            .Code.ShouldBe("file_type");
        await Should.ThrowAsync<CaseNotFoundException>(() => files.AttachAsync(CaseKinds.Repair, 9999, "a.pdf", bytes, DueProcessFixture.Public("old")));
    }
}
