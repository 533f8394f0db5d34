using System.Text.Json;
using Xinyong.Core.Auditing;
using Xinyong.Data.Articles;
using Xinyong.Data.Auditing;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Articles;

public sealed class ArticleStoreTests
{
    private static readonly Actor Editor = new(ActorKind.User, "editor");

    private static ArticleDraft Draft(string title = "关于开展诚信宣传月活动的通知", string kind = ArticleKinds.Notice, string body = "第一段。\n\n第二段第一行\n第二行。") =>
        new(kind, title, "摘要", body, "昆山市信用办");

    [Theory, DatabaseProviders]
    public async Task Lifecycle_DraftIsHiddenPublishedIsListedWithdrawnIsGone(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ArticleStore>();

        var created = await store.CreateAsync(Draft(), Editor);
        created.Status.ShouldBe(ArticleStatus.Draft);
        created.PublishedOn.ShouldBeNull();
        created.CreatedBy.ShouldBe("user:editor");
        (await store.LatestAsync(10)).ShouldBeEmpty();
        (await store.ListAsync(null, 1, 20, includeDrafts: false)).Total.ShouldBe(0);
        (await store.ListAsync(null, 1, 20, includeDrafts: true)).Items.Single().Id.ShouldBe(created.Id);

        var published = (await store.PublishAsync(created.Id, Editor))!;
        published.Status.ShouldBe(ArticleStatus.Published);
        published.PublishedOn.ShouldBe(new DateOnly(2026, 11, 20));
        (await store.LatestAsync(10)).Select(a => a.Id).ShouldBe([created.Id]);
        (await store.LatestAsync(10, ArticleKinds.Notice)).Count.ShouldBe(1);
        (await store.LatestAsync(10, ArticleKinds.News)).ShouldBeEmpty();
        var page = await store.ListAsync(ArticleKinds.Notice, 1, 20, includeDrafts: false);
        page.Total.ShouldBe(1);
        page.Items[0].Title.ShouldBe("关于开展诚信宣传月活动的通知");
        page.Items[0].Paragraphs().ShouldBe(["第一段。", "第二段第一行\n第二行。"]);

        var withdrawn = (await store.WithdrawAsync(created.Id, Editor))!;
        withdrawn.Status.ShouldBe(ArticleStatus.Withdrawn);
        withdrawn.PublishedOn.ShouldBe(new DateOnly(2026, 11, 20));
        (await store.LatestAsync(10)).ShouldBeEmpty();
        (await store.ListAsync(null, 1, 20, includeDrafts: false)).Total.ShouldBe(0);
        (await store.GetAsync(created.Id))!.Status.ShouldBe(ArticleStatus.Withdrawn);
    }

    [Theory, DatabaseProviders]
    public async Task LatestAndList_NewestFirstPagedAndFilteredByKind(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ArticleStore>();
        for (var i = 1; i <= 5; i++)
        {
            var a = await store.CreateAsync(Draft($"动态{i}", i % 2 == 0 ? ArticleKinds.Policy : ArticleKinds.News), Editor);
            await store.PublishAsync(a.Id, Editor, new DateOnly(2026, 1, i));
        }
        var draft = await store.CreateAsync(Draft("草稿"), Editor);

        (await store.LatestAsync(3)).Select(a => a.Title).ShouldBe(["动态5", "动态4", "动态3"]);
        (await store.LatestAsync(10, ArticleKinds.Policy)).Select(a => a.Title).ShouldBe(["动态4", "动态2"]);

        var second = await store.ListAsync(null, 2, 2, includeDrafts: false);
        second.Total.ShouldBe(5);
        second.Pages.ShouldBe(3);
        second.Items.Select(a => a.Title).ShouldBe(["动态3", "动态2"]);

        var staff = await store.ListAsync(null, 1, 10, includeDrafts: true);
        staff.Total.ShouldBe(6);
        staff.Items[0].Id.ShouldBe(draft.Id);
        staff.Items[1].Title.ShouldBe("动态5");
    }

    [Theory, DatabaseProviders]
    public async Task Create_InvalidDraft_RejectedWithMessagesPerField(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ArticleStore>();

        var ex = await Should.ThrowAsync<ArticleRejectedException>(() => store.CreateAsync(new ArticleDraft("blog", "  ", null, "\n \n", null), Editor));
        ex.Errors.Select(e => e.Field).ShouldBe(["kind", "title", "body"]);
        ex.Errors.Single(e => e.Field == "title").Zh.ShouldBe("请填写标题。");
        ex.Errors.Single(e => e.Field == "body").En.ShouldBe("The body is required.");

        var tooLong = await Should.ThrowAsync<ArticleRejectedException>(() => store.CreateAsync(Draft(new string('信', 201)), Editor));
        tooLong.Errors.Single().Zh.ShouldContain("200");
        (await store.CreateAsync(Draft(new string('信', 200)), Editor)).Title.Length.ShouldBe(200);

        (await store.ListAsync(null, 1, 10, includeDrafts: true)).Total.ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task Workflow_IllegalMovesRefused_UnknownIdIsNull(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ArticleStore>();
        var a = await store.CreateAsync(Draft(), Editor);

        (await Should.ThrowAsync<ArticleRejectedException>(() => store.WithdrawAsync(a.Id, Editor))).Errors.Single().Field.ShouldBe("status");
        await store.PublishAsync(a.Id, Editor, new DateOnly(2026, 3, 1));
        await Should.ThrowAsync<ArticleRejectedException>(() => store.PublishAsync(a.Id, Editor));

        // A withdrawn article published again keeps its first date.
        await store.WithdrawAsync(a.Id, Editor);
        (await store.PublishAsync(a.Id, Editor))!.PublishedOn.ShouldBe(new DateOnly(2026, 3, 1));

        (await store.GetAsync(999_999)).ShouldBeNull();
        (await store.PublishAsync(999_999, Editor)).ShouldBeNull();
        (await store.WithdrawAsync(999_999, Editor)).ShouldBeNull();
        (await store.UpdateAsync(999_999, Draft(), Editor)).ShouldBeNull();
    }

    [Theory, DatabaseProviders]
    public async Task Update_PublishedArticle_StaysPublishedTrimmedAndAttributed(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ArticleStore>();
        var a = await store.CreateAsync(Draft(), Editor);
        await store.PublishAsync(a.Id, Editor);
        p.Clock.Advance(TimeSpan.FromHours(2));

        var updated = (await store.UpdateAsync(a.Id, new ArticleDraft(ArticleKinds.Policy, "  新标题 ", " ", "正文", ""), new Actor(ActorKind.User, "second")))!;

        updated.Title.ShouldBe("新标题");
        updated.Kind.ShouldBe(ArticleKinds.Policy);
        updated.Summary.ShouldBeNull();
        updated.Source.ShouldBeNull();
        updated.Status.ShouldBe(ArticleStatus.Published);
        updated.CreatedBy.ShouldBe("user:editor");
        updated.UpdatedBy.ShouldBe("user:second");
        (updated.UpdatedAt - updated.CreatedAt).ShouldBe(TimeSpan.FromHours(2));
    }

    [Theory, DatabaseProviders]
    public async Task Writes_AreAudited(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ArticleStore>();
        var a = await store.CreateAsync(Draft(), Editor);
        await store.UpdateAsync(a.Id, Draft("改"), Editor);
        await store.PublishAsync(a.Id, Editor);
        await store.WithdrawAsync(a.Id, Editor);
        await Should.ThrowAsync<ArticleRejectedException>(() => store.CreateAsync(Draft(""), Editor));

        var entries = (await p.Get<AuditLog>().RecentAsync()).Where(e => e.Entity == "article").Reverse().ToList();

        entries.Select(e => e.Action).ShouldBe(["article.create", "article.update", "article.publish", "article.withdraw"]);
        entries.ShouldAllBe(e => e.Actor == "editor" && e.ActorKind == "user" && e.EntityId == a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        JsonDocument.Parse(entries[0].Detail!).RootElement.GetProperty("title").GetString().ShouldBe("关于开展诚信宣传月活动的通知");
        JsonDocument.Parse(entries[2].Detail!).RootElement.GetProperty("publishedOn").GetString().ShouldBe("2026-11-20");
    }

    [Theory, DatabaseProviders]
    public async Task DemoSeed_InsertsPublishedArticlesOnce(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<ArticleStore>();

        var first = await DemoArticles.SeedAsync(store, Actor.SystemActor);
        var second = await DemoArticles.SeedAsync(store, Actor.SystemActor);

        first.ShouldBe(DemoArticles.Count);
        first.ShouldBeInRange(8, 12);
        second.ShouldBe(0);
        var all = await store.ListAsync(null, 1, 50, includeDrafts: true);
        all.Total.ShouldBe(first);
        all.Items.ShouldAllBe(a => a.IsPublished && a.PublishedOn != null && a.Paragraphs().Count >= 2);
        foreach (var kind in ArticleKinds.All) (await store.LatestAsync(50, kind)).ShouldNotBeEmpty();
        (await store.LatestAsync(50)).ShouldContain(a => a.Title.Contains("信用修复管理办法") && a.PublishedOn == new DateOnly(2026, 3, 20));
    }

    [Fact]
    public async Task DemoSeed_DoesNothingWhenAnyArticleExists()
    {
        await using var p = await TestPlatform.CreateAsync("sqlite");
        var store = p.Get<ArticleStore>();
        await store.CreateAsync(Draft(), Editor);

        (await DemoArticles.SeedAsync(store, Actor.SystemActor)).ShouldBe(0);
        (await store.ListAsync(null, 1, 50, includeDrafts: true)).Total.ShouldBe(1);
    }
}
