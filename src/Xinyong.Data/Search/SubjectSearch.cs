using System.Data.Common;
using Dapper;
using Xinyong.Core.Search;
using Xinyong.Core.Subjects;
using Xinyong.Data.Database;
using Xinyong.Identifiers;

namespace Xinyong.Data.Search;

/// <summary>How a query was understood.</summary>
public enum SubjectSearchMode
{
    /// <summary>Nothing to search for (empty, or only punctuation / a company form).</summary>
    None,

    /// <summary>A code: credit code, organisation code, registration number, ID number or another registered code.</summary>
    Code,

    /// <summary>A name, matched by <see cref="NameIndex"/>.</summary>
    Name,
}

/// <summary>
/// One subject found. For natural persons (found only by their exact ID number) <see cref="Name"/> and
/// <see cref="MatchedName"/> are masked and no code is given.
/// </summary>
/// <param name="Kind">legal_person, individual_business or natural_person.</param>
/// <param name="MatchedName">The name that matched: the current name, or the former name when <see cref="MatchedFormerName"/>.</param>
/// <param name="MatchedCode">For code searches, the code that matched (null for natural persons).</param>
/// <param name="Score">0..1; 1 for an exact code or name.</param>
/// <param name="ReasonCode">uscc, org, reg, tax, inst, soc, idcard, uscc_org for codes; exact, same_name, similar, contains, partial (+ _former) for names.</param>
public sealed record SubjectSearchHit(
    long SubjectId, string Kind, string Name, string? Uscc, string MatchedName, bool MatchedFormerName, string? MatchedCode,
    double Score, string ReasonCode, string ReasonZh, string ReasonEn);

/// <summary>A page of results, best first. When <see cref="TotalIsLowerBound"/>, show "more than <see cref="Total"/>".</summary>
public sealed record SubjectSearchResult(
    string Query, SubjectSearchMode Mode, int Total, bool TotalIsLowerBound, int Page, int PageSize, IReadOnlyList<SubjectSearchHit> Items);

/// <summary>
/// The public subject search: by any code a subject is known by (exact, legacy codes included), else by name with
/// Chinese-aware fuzzy matching over current and former names. Natural persons are never found by name.
/// </summary>
public sealed class SubjectSearch(XinyongDatabase db, SubjectSearchIndex index)
{
    /// <summary>Name results are ranked up to this depth; pages beyond it are empty.</summary>
    public const int MaxResults = 1000;

    public const int MaxPageSize = 100;

    private static readonly Dictionary<string, (int Rank, string Zh, string En)> CodeReasons = new(StringComparer.Ordinal)
    {
        ["uscc"] = (0, "统一社会信用代码一致", "same unified social credit code"),
        ["idcard"] = (0, "身份证号码一致", "same resident ID number"),
        ["org"] = (1, "组织机构代码一致", "same organisation code"),
        ["reg"] = (1, "工商注册号一致", "same business registration number"),
        ["tax"] = (1, "税务登记号一致", "same tax registration number"),
        ["inst"] = (1, "事业单位证书号一致", "same public institution certificate number"),
        ["soc"] = (1, "社会组织登记证号一致", "same social organisation registration number"),
        ["uscc_org"] = (2, "组织机构代码一致（统一社会信用代码第9-17位）", "same organisation code (positions 9-17 of the credit code)"),
    };

    /// <summary>Searches by code or name. <paramref name="page"/> starts at 1; <paramref name="pageSize"/> is 1..100.</summary>
    public async Task<SubjectSearchResult> SearchAsync(string? query, int page = 1, int pageSize = 20, CancellationToken ct = default)
    {
        var text = (query ?? "").Trim();
        if (text.Length > NameNormalizer.MaxLength) text = text[..NameNormalizer.MaxLength];
        page = Math.Clamp(page, 1, 100_000);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        if (text.Length == 0) return new SubjectSearchResult(text, SubjectSearchMode.None, 0, false, page, pageSize, []);

        var code = Identifier.Normalize(text);
        if (LooksLikeCode(code))
        {
            var byCode = await FindByCodeAsync(code, ct);
            // A query shaped like a known kind of code is answered as a code, found or not; other letter-digit
            // strings (a Latin trade name) go on to the name search when no code matches.
            if (byCode.Count > 0 || Identifier.Detect(code) != IdentifierKind.Unknown)
            {
                var items = byCode.Skip((page - 1) * pageSize).Take(pageSize).ToList();
                return new SubjectSearchResult(text, SubjectSearchMode.Code, byCode.Count, false, page, pageSize, items);
            }
        }

        var key = MatchKey.Parse(text);
        if (key.IsEmpty) return new SubjectSearchResult(text, SubjectSearchMode.None, 0, false, page, pageSize, []);
        var names = await index.EnsureLoadedAsync(ct);
        var skip = (page - 1) * pageSize;
        var take = Math.Max(0, Math.Min(pageSize, MaxResults - skip));
        var found = names.Search(key, skip, take);
        var hits = found.Hits.Count == 0 ? [] : await DescribeAsync(found.Hits, ct);
        return new SubjectSearchResult(text, SubjectSearchMode.Name, Math.Min(found.Total, MaxResults), found.TotalIsLowerBound || found.Total > MaxResults,
            page, pageSize, hits);
    }

    /// <summary>Letters, digits and dashes only, 8-20 long, and either the shape of a known code or several digits.</summary>
    private static bool LooksLikeCode(string normalized)
    {
        if (normalized.Length is < 8 or > 20) return false;
        var digits = 0;
        foreach (var c in normalized)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (!char.IsAsciiLetterUpper(c) && c != '-') return false;
        }
        return digits >= 4 || Identifier.Detect(normalized) != IdentifierKind.Unknown;
    }

    private sealed record CodeRow
    {
        public string Scheme { get; init; } = "";
        public string Value { get; init; } = "";
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Uscc { get; init; }
    }

    private async Task<List<SubjectSearchHit>> FindByCodeAsync(string code, CancellationToken ct)
    {
        var values = new List<string> { code };
        if (code.Contains('-', StringComparison.Ordinal)) values.Add(code.Replace("-", "", StringComparison.Ordinal));
        var kind = Identifier.Detect(code);
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<CodeRow>(
            $"SELECT i.scheme, i.value, s.id, s.kind, s.name, s.uscc FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.value {db.InList("values")}",
            new { values = db.ListParam(values) })).ToList();
        if (kind == IdentifierKind.CreditCode && code.Length == 18)
        {
            // A subject registered before the code conversion may be known only by the organisation code inside it.
            rows.AddRange((await conn.QueryAsync<CodeRow>(
                "SELECT 'org' AS scheme, i.value, s.id, s.kind, s.name, s.uscc FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.scheme = 'org' AND i.value = @org AND s.uscc IS NULL",
                new { org = code[8..17] })).Select(r => r with { Scheme = "uscc_org" }));
        }
        var org = values[^1];
        if (kind == IdentifierKind.OrganizationCode && org.Length == 9)
        {
            rows.AddRange(await conn.QueryAsync<CodeRow>(
                "SELECT 'uscc_org' AS scheme, s.uscc AS value, s.id, s.kind, s.name, s.uscc FROM subjects s WHERE substr(s.uscc, 9, 9) = @org",
                new { org }));
        }
        return rows
            .Where(r => CodeReasons.ContainsKey(r.Scheme))
            .OrderBy(r => CodeReasons[r.Scheme].Rank).ThenBy(r => r.Id)
            .DistinctBy(r => r.Id)
            .Select(r =>
            {
                var (rank, zh, en) = CodeReasons[r.Scheme];
                var natural = r.Kind == SubjectKind.NaturalPerson.ToCode();
                var name = natural ? Masking.MaskPersonName(r.Name) : r.Name;
                return new SubjectSearchHit(r.Id, r.Kind, name, natural ? null : r.Uscc, name, false, natural ? null : r.Value,
                    rank == 2 ? 0.99 : 1.0, r.Scheme, zh, en);
            })
            .ToList();
    }

    private sealed record SubjectRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Uscc { get; init; }
    }

    private sealed record FormerName
    {
        public long SubjectId { get; init; }
        public string Name { get; init; } = "";
    }

    /// <summary>Current name, credit code and the matched former name of a page of hits, in one round trip each.</summary>
    private async Task<List<SubjectSearchHit>> DescribeAsync(IReadOnlyList<NameHit> hits, CancellationToken ct)
    {
        var ids = hits.Select(h => h.SubjectId).ToList();
        Dictionary<long, SubjectRow> subjects;
        await using (var read = await db.ReadRepeatedAsync(_subjectsSql, [("@ids", db.ListParam(ids))], ct))
        {
            subjects = (await read.ReadSetAsync<SubjectRow>(ct)).ToDictionary(s => s.Id);
        }
        var formerIds = hits.Where(h => !h.IsCurrentName).Select(h => h.SubjectId).ToList();
        var formerNames = (formerIds.Count == 0 ? [] : await FormerNamesAsync(formerIds, ct)).ToLookup(f => f.SubjectId);
        var items = new List<SubjectSearchHit>(hits.Count);
        foreach (var hit in hits)
        {
            // A subject deleted or turned into a natural person since the index was loaded is not shown.
            if (!subjects.TryGetValue(hit.SubjectId, out var s) || s.Kind == SubjectKind.NaturalPerson.ToCode()) continue;
            var matched = s.Name;
            if (!hit.IsCurrentName)
            {
                var candidates = formerNames[hit.SubjectId].ToList();
                matched = candidates.FirstOrDefault(f => MatchKey.Parse(f.Name) == hit.MatchedKey)?.Name ?? candidates.FirstOrDefault()?.Name ?? s.Name;
            }
            var m = hit.Match;
            items.Add(new SubjectSearchHit(s.Id, s.Kind, s.Name, s.Uscc, matched, !hit.IsCurrentName, null,
                Math.Round(m.Score, 3), m.ReasonCode, m.ReasonZh, m.ReasonEn));
        }
        return items;
    }

    private async Task<List<FormerName>> FormerNamesAsync(List<long> ids, CancellationToken ct)
    {
        await using var read = await db.ReadRepeatedAsync(
            _formerNamesSql, [("@ids", db.ListParam(ids))], ct);
        return await read.ReadSetAsync<FormerName>(ct);
    }

    // The texts of the two look-ups above: they depend only on the database kind.
    private readonly string _subjectsSql = $"SELECT id, kind, name, uscc FROM subjects WHERE id {db.InList("ids")}";
    private readonly string _formerNamesSql =
        $"SELECT subject_id, name FROM subject_names WHERE is_current = FALSE AND subject_id {db.InList("ids")} ORDER BY first_seen DESC";
}
