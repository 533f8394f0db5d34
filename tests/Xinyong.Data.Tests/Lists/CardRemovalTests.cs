using Xinyong.Core.Auditing;
using Xinyong.Core.Lists;
using Xinyong.Data.Auditing;
using Xinyong.Data.Lists;
using Xinyong.Data.Tests.Infrastructure;
using static Xinyong.Data.Tests.Lists.ListStoreTests;

namespace Xinyong.Data.Tests.Lists;

/// <summary>
/// Work-safety red/yellow cards (seed 001): placed by the emergency management bureau's notice, taken off together by a
/// removal notice (昆应急〔2020〕61号 style) that ends each entry and tells each business.
/// </summary>
public sealed class CardRemovalTests
{
    private static ListProposal Card(long subject, string type = "work-safety-yellow-card") => new(type, subject, 0,
        "未按规定开展安全生产隐患排查治理", "昆应急〔2026〕60号", "《中华人民共和国安全生产法》第四十一条");

    private static async Task<(ListEntry First, ListEntry Second, Actor Officer)> TwoCardsAsync(TestPlatform p)
    {
        var officer = await OfficerAsync(p, "yjglj");
        var first = await DesignateAsync(p, Card(await SubjectAsync(p, "昆山市周市某印刷器材经营部", "individual_business")), officer);
        var second = await DesignateAsync(p, Card(await SubjectAsync(p, "昆山市某商品混凝土有限公司"), "work-safety-red-card"), officer);
        return (first, second, officer);
    }

    [Theory, DatabaseProviders]
    public async Task EndByNotice_EndsEachCard_WithARemovalNoticeNamingTheNotice(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var (first, second, officer) = await TwoCardsAsync(p);
        p.Clock.Now = p.Clock.Now.AddMonths(3);

        var ended = await store.EndByNoticeAsync([first.Id, second.Id], " 昆应急〔2026〕61号 ", ListEndReasons.PeriodEnd, officer);

        ended.Select(e => e.Id).ShouldBe([first.Id, second.Id]);
        foreach (var id in new[] { first.Id, second.Id })
        {
            var e = (await store.GetAsync(id))!;
            e.Status.ShouldBe(ListStatus.Ended);
            e.EndedReason.ShouldBe(ListEndReasons.PeriodEnd);
            e.EndedOn.ShouldBe(store.Today);
            e.IsActiveOn(store.Today).ShouldBeFalse();
            var notice = (await store.NoticesAsync(id)).First();
            notice.Kind.ShouldBe(ListNoticeKinds.Removal);
            notice.RecipientKind.ShouldBe("subject");
            notice.TextZh.ShouldContain("移出“安全生产");
            notice.TextZh.ShouldContain("管理期限届满");
            notice.TextZh.ShouldContain("移出通知 昆应急〔2026〕61号");
            notice.TextZh.ShouldNotContain("removal notice"); // each language on its own
            notice.TextEn.ShouldContain("Removal notice 昆应急〔2026〕61号.");
            notice.TextEn.ShouldNotContain("移出通知");
            (await store.HistoryAsync(id)).Last().Note!.ShouldContain("昆应急〔2026〕61号");
        }
        (await p.Get<ListEntries>().ActiveEntriesAsync([first.SubjectId, second.SubjectId], store.Today)).ShouldBeEmpty();
        (await p.Get<AuditLog>().RecentAsync()).Count(a => a.Action == "list.ended" && a.Actor == "officer-yjglj").ShouldBe(2);

        var removals = await store.NoticesOfTypesAsync(ListNoticeKinds.Removal, ["work-safety-yellow-card", "work-safety-red-card"], officer.DepartmentId);
        removals.Select(r => r.Notice.EntryId).ShouldBe([second.Id, first.Id]);
        removals.Select(r => r.SubjectId).ShouldBe([second.SubjectId, first.SubjectId]);
        (await store.NoticesOfTypesAsync(ListNoticeKinds.Removal, ["work-safety-yellow-card"], officer.DepartmentId + 1000)).ShouldBeEmpty();
    }

    [Theory, DatabaseProviders]
    public async Task EndByNotice_Refusals_LeaveEveryCardAsItWas(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ListStore>();
        var (first, second, officer) = await TwoCardsAsync(p);
        var proposed = await store.ProposeAsync(Card(await SubjectAsync(p, "昆山市千灯镇某便利店", "individual_business")), officer);

        (await Should.ThrowAsync<ListRefusedException>(() => store.EndByNoticeAsync([first.Id], "  ", ListEndReasons.PeriodEnd, officer)))
            .Refusal.Code.ShouldBe("notice-number-required");
        (await Should.ThrowAsync<ListRefusedException>(() => store.EndByNoticeAsync([], "昆应急〔2026〕61号", ListEndReasons.PeriodEnd, officer)))
            .Refusal.Code.ShouldBe("entries-required");
        var open = await Should.ThrowAsync<ListRefusedException>(() =>
            store.EndByNoticeAsync([first.Id, proposed.Id], "昆应急〔2026〕61号", ListEndReasons.PeriodEnd, officer));
        open.Refusal.Code.ShouldBe("illegal-transition");
        open.Refusal.Zh.ShouldContain($"条目 {proposed.Id}");
        var market = await OfficerAsync(p, "scjgj");
        (await Should.ThrowAsync<ListRefusedException>(() => store.EndByNoticeAsync([first.Id], "昆应急〔2026〕61号", ListEndReasons.PeriodEnd, market)))
            .Refusal.Code.ShouldBe("not-your-department");
        (await Should.ThrowAsync<ListRefusedException>(() => store.EndByNoticeAsync([first.Id], "昆应急〔2026〕61号", ListEndReasons.Decision, officer)))
            .Refusal.Code.ShouldBe("end-reason");
        await Should.ThrowAsync<ListEntryNotFoundException>(() => store.EndByNoticeAsync([first.Id, 987_654], "昆应急〔2026〕61号", ListEndReasons.PeriodEnd, officer));
        // One transaction: the second card fails after the first was ended in it (the same card twice), and the first stays listed.
        (await Should.ThrowAsync<ListRefusedException>(() => store.EndByNoticeAsync([second.Id, first.Id, first.Id], "昆应急〔2026〕61号", ListEndReasons.PeriodEnd, officer)))
            .Refusal.Code.ShouldBe("illegal-transition");
        (await store.HistoryAsync(first.Id)).ShouldNotContain(h => h.ToStatus == ListStatus.Ended);

        foreach (var e in new[] { first, second }) (await store.GetAsync(e.Id))!.Status.ShouldBe(ListStatus.Published);
        (await store.GetAsync(proposed.Id))!.Status.ShouldBe(ListStatus.Proposed);
        (await store.NoticesOfTypesAsync(ListNoticeKinds.Removal, CardTypes, null)).ShouldBeEmpty();

        // Ended once, a card cannot be ended again under a second notice.
        await store.EndByNoticeAsync([first.Id], "昆应急〔2026〕61号", ListEndReasons.ExitConditions, officer);
        (await Should.ThrowAsync<ListRefusedException>(() => store.EndByNoticeAsync([first.Id], "昆应急〔2026〕62号", ListEndReasons.PeriodEnd, officer)))
            .Refusal.Code.ShouldBe("illegal-transition");
        (await store.NoticesAsync(first.Id)).Count(n => n.Kind == ListNoticeKinds.Removal).ShouldBe(1);
    }

    private static readonly string[] CardTypes = ["work-safety-yellow-card", "work-safety-red-card"];
}
