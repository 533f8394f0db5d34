using Xinyong.Core.Commitments;
using Xinyong.Core.Lists;
using Xinyong.Data.Commitments;
using Xinyong.Data.Lists;
using Xinyong.Data.Publication;
using Xinyong.Data.Tests.Commitments;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Data.Tests.Lists;

namespace Xinyong.Data.Tests.Publication;

/// <summary>The public subject page's one-command read agrees with the three reads it replaces.</summary>
public sealed class SubjectPageTests
{
    [Theory, DatabaseProviders]
    public async Task SubjectPageAsync_SubjectWithBreachCommitmentAndListEntry_SameAsTheSeparateReads(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var officer = await CommitmentStoreTests.OfficerAsync(p, "scjgj");
        var subject = await CommitmentStoreTests.SubjectAsync(p, "昆山市某某餐饮有限公司", "91320583MA1K314J7X");
        var store = p.Get<CommitmentStore>();
        var (kept, _) = await store.RegisterAsync(CommitmentStoreTests.Draft(subject, key: "kept"), officer, publish: true);
        var (broken, _) = await store.RegisterAsync(CommitmentStoreTests.Draft(subject, "approval-replacing", "食品经营许可（仅销售预包装食品）", key: "broken"), officer, publish: true);
        await store.SuspectBreachAsync(broken.Id, "事后核查发现经营场所与承诺不符", officer);
        await store.ConfirmBreachAsync(broken.Id, new BreachFinding("昆市监违诺〔2026〕3号", "经营场所与承诺不符", "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》", null), officer);
        var entry = await ListStoreTests.DesignateAsync(p, new ListProposal("serious-dishonesty-market", subject, 0,
            "生产销售不符合食品安全标准的食品，情节严重", "昆市监处罚〔2026〕118号", "《市场监督管理严重违法失信名单管理办法》第二条"), officer);
        var today = DateOnly.FromDateTime(p.Clock.GetUtcNow().AddHours(8).DateTime);

        var page = (await p.Get<PublicRecords>().SubjectPageAsync(subject, today)).ShouldNotBeNull();

        var alone = (await p.Get<PublicRecords>().SubjectAsync(subject, today)).ShouldNotBeNull();
        page.Subject.Name.ShouldBe(alone.Name);
        page.Subject.Uscc.ShouldBe("91320583MA1K314J7X");
        page.Subject.CommitmentBreaches.Select(r => r.RecordId).ShouldBe(alone.CommitmentBreaches.Select(r => r.RecordId));
        page.Subject.CommitmentBreaches.Count.ShouldBe(1);
        page.Commitments.ShouldBe(await p.Get<PublicCommitments>().ForSubjectAsync(subject, today));
        page.Commitments.Select(c => c.Id).ShouldBe([broken.Id, kept.Id], ignoreOrder: true);
        page.Commitments.Single(c => c.Id == broken.Id).Status.ShouldBe(CommitmentStatus.BreachConfirmed);
        page.ListEntries.ShouldBe(await p.Get<ListEntries>().ActiveEntriesAsync([subject], today));
        page.ListEntries.Single().Id.ShouldBe(entry.Id);
    }

    [Theory, DatabaseProviders]
    public async Task SubjectPageAsync_ReadAgainAndAgain_EachReadHasItsOwnValuesAndSeesLaterChanges(string provider)
    {
        // The page's command is kept prepared between reads (XinyongDatabase.ReadRepeatedAsync): new values must be bound
        // each time, a read left unfinished (unknown subject) must not spoil the next one, and nothing is cached but the plan.
        await using var p = await TestPlatform.CreateAsync(provider);
        var officer = await CommitmentStoreTests.OfficerAsync(p, "scjgj");
        var first = await CommitmentStoreTests.SubjectAsync(p, "昆山市某某餐饮有限公司", "91320583MA1K314J7X");
        var second = await CommitmentStoreTests.SubjectAsync(p, "昆山乙电子科技有限公司");
        var today = DateOnly.FromDateTime(p.Clock.GetUtcNow().AddHours(8).DateTime);
        var records = p.Get<PublicRecords>();

        for (var round = 0; round < 3; round++)
        {
            (await records.SubjectPageAsync(first, today)).ShouldNotBeNull().Subject.Name.ShouldBe("昆山市某某餐饮有限公司");
            (await records.SubjectPageAsync(987_654, today)).ShouldBeNull();
            (await records.SubjectPageAsync(second, today)).ShouldNotBeNull().Subject.Name.ShouldBe("昆山乙电子科技有限公司");
        }
        (await records.SubjectPageAsync(first, today)).ShouldNotBeNull().Commitments.ShouldBeEmpty();

        var (kept, _) = await p.Get<CommitmentStore>().RegisterAsync(CommitmentStoreTests.Draft(first, key: "kept"), officer, publish: true);

        (await records.SubjectPageAsync(first, today)).ShouldNotBeNull().Commitments.Select(c => c.Id).ShouldBe([kept.Id]);
        (await records.SubjectPageAsync(second, today)).ShouldNotBeNull().Commitments.ShouldBeEmpty();
    }

    [Theory, DatabaseProviders]
    public async Task SubjectPageAsync_UnknownSubject_IsNull(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        (await p.Get<PublicRecords>().SubjectPageAsync(987_654, new DateOnly(2026, 11, 20))).ShouldBeNull();
    }
}
