using System.Data.Common;
using System.Globalization;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Articles;

/// <summary>
/// The credit office's news, policy and notice pages. Every write is attributed to an actor and audited in the same
/// transaction; public readers only ever see published articles.
/// </summary>
public sealed class ArticleStore(XinyongDatabase db, AuditLog audit, TimeProvider clock)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private const string Columns =
        "id, kind, title, summary, body, source, published_on, status, created_by, created_at, updated_by, updated_at";

    // Drafts (no date yet) first, then newest first; the CASE makes NULL placement the same on both databases.
    private const string StaffOrder = "CASE WHEN published_on IS NULL THEN 0 ELSE 1 END, published_on DESC, id DESC";
    private const string PublicOrder = "published_on DESC, id DESC";

    /// <summary>Today in China, the date a publication is stamped with.</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);

    /// <summary>Saves a new draft. Throws <see cref="ArticleRejectedException"/> when the draft is invalid.</summary>
    public async Task<Article> CreateAsync(ArticleDraft draft, Actor actor, CancellationToken ct = default)
    {
        var d = Checked(draft);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO articles (kind, title, summary, body, source, published_on, status, created_by, created_at, updated_by, updated_at)
            VALUES (@Kind, @Title, @Summary, @Body, @Source, NULL, @status, @by, @now, @by, @now) RETURNING id
            """,
            new { d.Kind, d.Title, d.Summary, d.Body, d.Source, status = ArticleStatus.Draft, by = actor.ToString(), now }, tx);
        await audit.WriteAsync(actor, "article.create", "article", Key(id), new { kind = d.Kind, title = d.Title }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(conn, id))!;
    }

    /// <summary>Replaces the text of an article in any state (a published article stays published). Null when it does not exist.</summary>
    public async Task<Article?> UpdateAsync(long id, ArticleDraft draft, Actor actor, CancellationToken ct = default)
    {
        var d = Checked(draft);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var n = await conn.ExecuteAsync(
            "UPDATE articles SET kind = @Kind, title = @Title, summary = @Summary, body = @Body, source = @Source, updated_by = @by, updated_at = @now WHERE id = @id",
            new { id, d.Kind, d.Title, d.Summary, d.Body, d.Source, by = actor.ToString(), now = clock.GetUtcNow().UtcDateTime }, tx);
        if (n == 0) return null;
        await audit.WriteAsync(actor, "article.update", "article", Key(id), new { kind = d.Kind, title = d.Title }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return await GetAsync(conn, id);
    }

    /// <summary>
    /// Makes a draft or withdrawn article public, dated <paramref name="on"/> (default: today in China; a withdrawn
    /// article keeps its first date unless a date is given). Refuses an article that is already published.
    /// </summary>
    public async Task<Article?> PublishAsync(long id, Actor actor, DateOnly? on = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await GetAsync(conn, id, tx);
        if (current is null) return null;
        if (current.IsPublished)
            throw new ArticleRejectedException([new("status", "该文章已经发布。", "The article is already published.")]);
        var date = on ?? current.PublishedOn ?? Today;
        await conn.ExecuteAsync(
            "UPDATE articles SET status = @status, published_on = @date, updated_by = @by, updated_at = @now WHERE id = @id",
            new { id, status = ArticleStatus.Published, date, by = actor.ToString(), now = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, "article.publish", "article", Key(id),
            new { publishedOn = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), from = current.Status }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return await GetAsync(conn, id);
    }

    /// <summary>Takes a published article off the public site; it keeps its text and date. Refuses anything not published.</summary>
    public async Task<Article?> WithdrawAsync(long id, Actor actor, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await GetAsync(conn, id, tx);
        if (current is null) return null;
        if (!current.IsPublished)
            throw new ArticleRejectedException([new("status", "只有已发布的文章才能撤回。", "Only a published article can be withdrawn.")]);
        await conn.ExecuteAsync(
            "UPDATE articles SET status = @status, updated_by = @by, updated_at = @now WHERE id = @id",
            new { id, status = ArticleStatus.Withdrawn, by = actor.ToString(), now = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, "article.withdraw", "article", Key(id), conn: conn, tx: tx, ct: ct);
        await tx.CommitAsync(ct);
        return await GetAsync(conn, id);
    }

    /// <summary>An article in any state (staff); public pages must check <see cref="Article.IsPublished"/>.</summary>
    public async Task<Article?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await GetAsync(conn, id);
    }

    /// <summary>The newest published articles, optionally of one kind (news, policy, notice).</summary>
    public async Task<IReadOnlyList<Article>> LatestAsync(int count, string? kind = null, CancellationToken ct = default)
    {
        if (count <= 0) return [];
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<Article>(
            $"SELECT {Columns} FROM articles WHERE status = @published AND (@kind IS NULL OR kind = @kind) ORDER BY {PublicOrder} LIMIT @count",
            new { published = ArticleStatus.Published, kind, count })).ToList();
    }

    /// <summary>
    /// One page (from 1) of articles, optionally of one kind. Public listings see published articles, newest first;
    /// with <paramref name="includeDrafts"/> staff see every state, drafts first.
    /// </summary>
    public async Task<ArticlePage> ListAsync(string? kind, int page, int pageSize, bool includeDrafts, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        var where = "(@kind IS NULL OR kind = @kind)" + (includeDrafts ? "" : " AND status = @published");
        var args = new { kind, published = ArticleStatus.Published, take = pageSize, skip = (long)(page - 1) * pageSize };
        await using var conn = await db.OpenAsync(ct);
        var total = await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM articles WHERE {where}", args);
        var items = (await conn.QueryAsync<Article>(
            $"SELECT {Columns} FROM articles WHERE {where} ORDER BY {(includeDrafts ? StaffOrder : PublicOrder)} LIMIT @take OFFSET @skip", args)).ToList();
        return new ArticlePage(items, total, page, pageSize);
    }

    private static ArticleDraft Checked(ArticleDraft draft)
    {
        var errors = draft.Validate();
        if (errors.Count > 0) throw new ArticleRejectedException(errors);
        return draft.Normalised();
    }

    private static Task<Article?> GetAsync(DbConnection conn, long id, DbTransaction? tx = null) =>
        conn.QuerySingleOrDefaultAsync<Article>($"SELECT {Columns} FROM articles WHERE id = @id", new { id }, tx);

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);
}
