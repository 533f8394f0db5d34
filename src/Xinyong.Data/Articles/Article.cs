namespace Xinyong.Data.Articles;

/// <summary>The three columns of the credit office's pages: 信用动态, 政策法规, 通知公告.</summary>
public static class ArticleKinds
{
    public const string News = "news";
    public const string Policy = "policy";
    public const string Notice = "notice";

    public static readonly IReadOnlyList<string> All = [News, Policy, Notice];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind);
}

/// <summary>Draft → published → withdrawn; a withdrawn article may be published again.</summary>
public static class ArticleStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Withdrawn = "withdrawn";
}

/// <summary>A news item, policy document or notice as stored; the body is plain text, paragraphs separated by a blank line.</summary>
public sealed record Article
{
    public long Id { get; init; }
    public string Kind { get; init; } = default!;
    public string Title { get; init; } = default!;
    public string? Summary { get; init; }
    public string Body { get; init; } = default!;
    public string? Source { get; init; }
    public DateOnly? PublishedOn { get; init; }
    public string Status { get; init; } = default!;
    public string CreatedBy { get; init; } = default!;
    public DateTime CreatedAt { get; init; }
    public string UpdatedBy { get; init; } = default!;
    public DateTime UpdatedAt { get; init; }

    public bool IsPublished => Status == ArticleStatus.Published;

    /// <summary>The body split at blank lines; a single line break inside a paragraph is kept (as '\n').</summary>
    public IReadOnlyList<string> Paragraphs() => SplitParagraphs(Body);

    public static IReadOnlyList<string> SplitParagraphs(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return [];
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var raw in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                if (current.Count > 0) paragraphs.Add(string.Join('\n', current));
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }
        if (current.Count > 0) paragraphs.Add(string.Join('\n', current));
        return paragraphs;
    }
}

/// <summary>What an editor writes: everything but the workflow state.</summary>
public sealed record ArticleDraft(string Kind, string Title, string? Summary, string Body, string? Source)
{
    public const int TitleMax = 200;
    public const int SummaryMax = 500;
    public const int SourceMax = 100;

    /// <summary>The draft with whitespace trimmed and empty optional fields as null.</summary>
    public ArticleDraft Normalised() => new(
        (Kind ?? "").Trim(),
        (Title ?? "").Trim(),
        string.IsNullOrWhiteSpace(Summary) ? null : Summary.Trim(),
        (Body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim(),
        string.IsNullOrWhiteSpace(Source) ? null : Source.Trim());

    /// <summary>Problems with the (normalised) draft, one per field at most; empty when it can be saved.</summary>
    public IReadOnlyList<ArticleError> Validate()
    {
        var d = Normalised();
        var errors = new List<ArticleError>();
        if (!ArticleKinds.IsKnown(d.Kind))
            errors.Add(new("kind", "请选择栏目（信用动态、政策法规或通知公告）。", "Choose a column: news, policy or notice."));
        if (d.Title.Length == 0)
            errors.Add(new("title", "请填写标题。", "The title is required."));
        else if (d.Title.Length > TitleMax)
            errors.Add(new("title", $"标题不能超过 {TitleMax} 个字（现为 {d.Title.Length} 个）。", $"The title may have at most {TitleMax} characters (it has {d.Title.Length})."));
        if (d.Summary is { Length: > SummaryMax })
            errors.Add(new("summary", $"摘要不能超过 {SummaryMax} 个字（现为 {d.Summary.Length} 个）。", $"The summary may have at most {SummaryMax} characters (it has {d.Summary.Length})."));
        if (d.Source is { Length: > SourceMax })
            errors.Add(new("source", $"来源不能超过 {SourceMax} 个字。", $"The source may have at most {SourceMax} characters."));
        if (d.Body.Length == 0)
            errors.Add(new("body", "请填写正文。", "The body is required."));
        return errors;
    }
}

/// <summary>Why an article cannot be saved or moved; <see cref="Field"/> names the form field, or "status" for a workflow move.</summary>
public sealed record ArticleError(string Field, string Zh, string En);

/// <summary>Thrown when a draft is invalid or a workflow move is not allowed (publishing twice, withdrawing a draft).</summary>
public sealed class ArticleRejectedException(IReadOnlyList<ArticleError> errors)
    : Exception(string.Join(" ", errors.Select(e => e.En)))
{
    public IReadOnlyList<ArticleError> Errors { get; } = errors;
}

/// <summary>One page of a listing and the number of matching articles.</summary>
public sealed record ArticlePage(IReadOnlyList<Article> Items, long Total, int Page, int PageSize)
{
    public int Pages => Total == 0 ? 1 : (int)((Total + PageSize - 1) / PageSize);
}
