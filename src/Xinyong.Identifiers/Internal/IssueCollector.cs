namespace Xinyong.Identifiers.Internal;

/// <summary>
/// Gathers issues while a check runs. When <see cref="Collect"/> is false the checks stop at the first
/// error and build no messages: that is the allocation-free TryParse path.
/// </summary>
internal struct IssueCollector
{
    private List<IdentifierIssue>? _issues;

    public IssueCollector(bool collect)
    {
        Collect = collect;
    }

    public bool Collect { get; }

    public bool HasError { get; private set; }

    public readonly IReadOnlyList<IdentifierIssue> Issues =>
        _issues is null ? Array.Empty<IdentifierIssue>() : _issues;

    public readonly IdentifierIssue? FirstError
    {
        get
        {
            if (_issues is null)
            {
                return null;
            }

            foreach (var issue in _issues)
            {
                if (issue.Severity == IssueSeverity.Error)
                {
                    return issue;
                }
            }

            return null;
        }
    }

    public void Add(IdentifierIssue issue)
    {
        (_issues ??= new List<IdentifierIssue>(2)).Add(issue);
        if (issue.Severity == IssueSeverity.Error)
        {
            HasError = true;
        }
    }
}
