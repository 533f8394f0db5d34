using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Lists;
using Xinyong.Data.Auditing;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Lists;

public sealed class ListStoreTests
{
    internal static async Task<long> SubjectAsync(TestPlatform p, string name, string kind = "legal_person", string? uscc = null)
    {
        await using var conn = await p.Db.OpenAsync();
        return await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES (@kind, @uscc, @name, @name, @now, @now) RETURNING id",
            new { kind, uscc, name, now = p.Clock.GetUtcNow().UtcDateTime });
    }

    internal static async Task<Actor> OfficerAsync(TestPlatform p, string departmentCode)
    {
        var d = (await p.Get<DepartmentStore>().FindAsync(departmentCode))!;
        return new Actor(ActorKind.User, "officer-" + departmentCode, d.Id);
    }

    private static ListProposal Market(long subject) => new("serious-dishonesty-market", subject, 0,
        "生产销售不符合食品安全标准的食品，情节严重", "昆市监处罚〔2026〕118号", "《市场监督管理严重违法失信名单管理办法》第二条");

    private static ListProposal Honours(long subject) => new("honours", subject, 0,
        "2020年2月驰援武汉，受市政府表彰", "昆政发〔2020〕12号", "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》");

    /// <summary>Proposal, notice, decision after the window, publication: the usual path.</summary>
    internal static async Task<ListEntry> DesignateAsync(TestPlatform p, ListProposal proposal, Actor actor)
    {
        var store = p.Get<ListStore>();
        var e = await store.ProposeAsync(proposal, actor);
        e = await store.NoticeAsync(e.Id, actor);
        if (e.ObjectionUntil > e.NoticedOn) p.Clock.Now = new DateTimeOffset(e.ObjectionUntil!.Value.AddDays(1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        e = await store.DecideAsync(e.Id, "决定" + e.Id, actor);
        return await store.PublishAsync(e.Id, actor);
    }

    [Theory, DatabaseProviders]
    public async Task Workflow_ProposalToExit_EveryStepStoredAuditedAndActiveOnlyWhilePublished(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var active = p.Get<ListEntries>();
        var officer = await OfficerAsync(p, "scjgj");
        var subject = await SubjectAsync(p, "昆山市某某食品有限公司");

        var e = await store.ProposeAsync(Market(subject), officer);
        e.Status.ShouldBe(ListStatus.Proposed);
        e = await store.NoticeAsync(e.Id, officer);
        e.ObjectionUntil.ShouldBe(new DateOnly(2026, 11, 27));
        (await store.NoticesAsync(e.Id)).Single().TextZh.ShouldContain("2026-11-27");

        var refused = await Should.ThrowAsync<ListRefusedException>(() => store.DecideAsync(e.Id, "昆市监信决〔2026〕1号", officer));
        refused.Refusal.Code.ShouldBe("objection-window-open");
        (await store.GetAsync(e.Id))!.Status.ShouldBe(ListStatus.Noticed);

        p.Clock.Now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8));
        await store.DecideAsync(e.Id, "昆市监信决〔2026〕1号", officer);
        (await active.ActiveEntriesAsync([subject], new DateOnly(2026, 11, 30))).ShouldBeEmpty();
        e = await store.PublishAsync(e.Id, officer);
        e.ListedFrom.ShouldBe(new DateOnly(2026, 11, 30));
        e.ListedUntil.ShouldBe(new DateOnly(2029, 11, 30));

        var found = (await active.ActiveEntriesAsync([subject, 999_999], new DateOnly(2026, 11, 30))).Single();
        found.Id.ShouldBe(e.Id);
        found.Kind.ShouldBe("black");
        found.DecisionNumber.ShouldBe("昆市监信决〔2026〕1号");
        (await active.ActiveEntriesAsync([subject], new DateOnly(2026, 11, 29))).ShouldBeEmpty();
        (await active.ActiveEntriesAsync([subject], new DateOnly(2029, 11, 30))).ShouldBeEmpty();
        (await active.PublicPageAsync("black", new DateOnly(2026, 12, 1), 1, 20)).Total.ShouldBe(1);

        p.Clock.Now = new DateTimeOffset(2027, 12, 6, 9, 0, 0, TimeSpan.FromHours(8));
        e = await store.EndAsync(e.Id, ListEndReasons.ExitConditions, "已履行处罚义务并纠正违法行为", officer);
        e.Status.ShouldBe(ListStatus.Ended);
        (await active.ActiveEntriesAsync([subject], new DateOnly(2027, 12, 6))).ShouldBeEmpty();
        (await active.ActiveEntriesAsync([subject], new DateOnly(2027, 12, 5))).ShouldBeEmpty(); // status, not only dates

        (await store.HistoryAsync(e.Id)).Select(h => h.ToStatus).ShouldBe(["proposed", "noticed", "decided", "published", "ended"]);
        (await store.HistoryAsync(e.Id)).ShouldAllBe(h => h.Actor == "user:officer-scjgj");
        var audited = await p.Get<AuditLog>().RecentAsync();
        audited.Where(a => a.Entity == "list_entry").Select(a => a.Action).ShouldBe(["list.ended", "list.published", "list.decided", "list.noticed", "list.proposed"]);
    }

    [Theory, DatabaseProviders]
    public async Task Propose_Refusals_NoLegalBasisUnknownTypeOtherDepartment(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var officer = await OfficerAsync(p, "scjgj");
        var subject = await SubjectAsync(p, "昆山某公司");

        (await Should.ThrowAsync<ListRefusedException>(() => store.ProposeAsync(Market(subject) with { LegalBasis = null }, officer)))
            .Refusal.Code.ShouldBe("legal-basis-required");
        (await Should.ThrowAsync<ListRefusedException>(() => store.ProposeAsync(Market(subject) with { ListType = "counted-penalties" }, officer)))
            .Refusal.Code.ShouldBe("unknown-list-type");
        var tax = await OfficerAsync(p, "swj");
        (await Should.ThrowAsync<ListRefusedException>(() => store.ProposeAsync(Market(subject), tax)))
            .Refusal.Code.ShouldBe("department-not-designating");
        (await Should.ThrowAsync<ListRefusedException>(() => store.ProposeAsync(Market(424242), officer)))
            .Refusal.Code.ShouldBe("unknown-subject");
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entries")).ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task Steps_ByAnotherDepartment_AreRefused(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var e = await store.ProposeAsync(Market(await SubjectAsync(p, "昆山某公司")), await OfficerAsync(p, "scjgj"));
        var tax = await OfficerAsync(p, "swj");
        (await Should.ThrowAsync<ListRefusedException>(() => store.NoticeAsync(e.Id, tax)))
            .Refusal.Code.ShouldBe("not-your-department");
        await Should.ThrowAsync<ListEntryNotFoundException>(() => store.NoticeAsync(e.Id + 100, Actor.SystemActor));
    }

    [Theory, DatabaseProviders]
    public async Task RedProposal_ForABlackListedSubject_IsRefusedWithTheReason(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var subject = await SubjectAsync(p, "昆山某食品有限公司");
        var black = await DesignateAsync(p, Market(subject), await OfficerAsync(p, "scjgj"));

        var ex = await Should.ThrowAsync<ListRefusedException>(() => store.ProposeAsync(Honours(subject), new Actor(ActorKind.User, "xyb", null)));
        ex.Refusal.Code.ShouldBe("unknown-department"); // the credit office names its department explicitly
        var creditOffice = await OfficerAsync(p, "xyb");
        ex = await Should.ThrowAsync<ListRefusedException>(() => store.ProposeAsync(Honours(subject), creditOffice));
        ex.Refusal.Code.ShouldBe("black-listed");
        ex.Refusal.Zh.ShouldContain("黑名单主体不得列入红名单");
        ex.Refusal.En.ShouldContain($"entry {black.Id}");
    }

    [Theory, DatabaseProviders]
    public async Task BlackPublication_SuspendsActiveRedEntries_AndTellsTheirDepartments(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var subject = await SubjectAsync(p, "昆山某科技有限公司");
        var other = await SubjectAsync(p, "昆山另一家有限公司");
        var creditOffice = await OfficerAsync(p, "xyb");
        var red = await DesignateAsync(p, Honours(subject), creditOffice);
        var otherRed = await DesignateAsync(p, Honours(other), creditOffice);
        red.Status.ShouldBe(ListStatus.Published);

        var black = await DesignateAsync(p, Market(subject), await OfficerAsync(p, "scjgj"));

        (await store.GetAsync(red.Id))!.Status.ShouldBe(ListStatus.Suspended);
        (await store.GetAsync(otherRed.Id))!.Status.ShouldBe(ListStatus.Published);
        var today = store.Today;
        (await p.Get<ListEntries>().ActiveEntriesAsync([subject], today)).Select(a => a.Id).ShouldBe([black.Id]);
        var notice = (await store.NoticesAsync(departmentId: creditOffice.DepartmentId)).Single();
        notice.Kind.ShouldBe(ListNoticeKinds.RedSuspended);
        notice.EntryId.ShouldBe(red.Id);
        notice.CausedByEntry.ShouldBe(black.Id);
        notice.TextZh.ShouldContain("已中止");
    }

    [Theory, DatabaseProviders]
    public async Task EndBySourceRecord_EndsTheEntriesResting_OnThatRecord(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var subject = await SubjectAsync(p, "昆山某公司");
        var officer = await OfficerAsync(p, "scjgj");
        var e = await DesignateAsync(p, Market(subject) with { SourceRecordId = 5589 }, officer);
        var unrelated = await DesignateAsync(p, Market(subject) with { SourceRecordId = 77 }, officer);

        var ended = await store.EndBySourceRecordAsync(5589, ListEndReasons.Repaired, Actor.SystemActor);
        ended.Select(x => x.Id).ShouldBe([e.Id]);
        (await store.GetAsync(e.Id))!.EndedReason.ShouldBe("repaired");
        (await store.GetAsync(unrelated.Id))!.Status.ShouldBe(ListStatus.Published);
        (await store.NoticesAsync(e.Id)).ShouldContain(n => n.Kind == ListNoticeKinds.Removal);
    }

    [Theory, DatabaseProviders]
    public async Task CloseExpired_CardPeriodOver_EndsItWithARemovalNotice(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var subject = await SubjectAsync(p, "昆山市千灯镇某便利店", "individual_business");
        var card = await DesignateAsync(p, new ListProposal("work-safety-yellow-card", subject, 0, "未按规定开展安全生产隐患排查", "昆应急〔2026〕60号",
            "《中华人民共和国安全生产法》"), await OfficerAsync(p, "yjglj"));
        card.ListedUntil.ShouldBe(card.ListedFrom!.Value.AddMonths(3));

        (await store.CloseExpiredAsync(Actor.SystemActor)).ShouldBe(0);
        p.Clock.Now = new DateTimeOffset(card.ListedUntil!.Value.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(8));
        (await p.Get<ListEntries>().ActiveEntriesAsync([subject], store.Today)).ShouldBeEmpty(); // inactive before any job runs
        (await store.CloseExpiredAsync(Actor.SystemActor)).ShouldBe(1);
        var closed = (await store.GetAsync(card.Id))!;
        closed.Status.ShouldBe(ListStatus.Ended);
        closed.EndedReason.ShouldBe(ListEndReasons.PeriodEnd);
        closed.EndedOn.ShouldBe(card.ListedUntil);
        (await store.NoticesAsync(card.Id)).First().TextZh.ShouldContain("管理期限届满");
    }

    [Theory, DatabaseProviders]
    public async Task PublicPage_NaturalPersons_AreMasked(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var subject = await SubjectAsync(p, "张伟明", "natural_person");
        var court = await OfficerAsync(p, "fy");
        var store = p.Get<ListStore>();
        var type = store.Types.Find("judgment-defaulter", store.Today)!;
        var decision = new ListDecision("judgment-defaulter", subject, 0, "张伟明（320583198001011234）有履行能力而拒不履行", null, type.LegalBasisZh,
            "(2026)苏0583执1234号", store.Today);
        var (e, created) = await store.RecordDecidedAsync(decision, court);
        created.ShouldBeTrue();
        e.Status.ShouldBe(ListStatus.Published);
        var again = await store.RecordDecidedAsync(decision, court);
        again.Created.ShouldBeFalse();
        again.Entry.Id.ShouldBe(e.Id);
        var row = (await p.Get<ListEntries>().PublicPageAsync("black", store.Today, 1, 10)).Items.Single();
        row.SubjectName.ShouldNotContain("伟明");
        row.Grounds.ShouldNotContain("320583198001011234");
        row.Grounds.ShouldNotContain("张伟明");
    }
}
