using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Xinyong.Core.Checks;
using Xinyong.Core.Search;
using Xinyong.Data.Database;
using Xinyong.Data.Search;
using Xinyong.Identifiers;

namespace Xinyong.Data.Checks;

/// <summary>How an input row was tied to a subject.</summary>
public static class MatchMethods
{
    /// <summary>The unified social credit code (or a natural person's ID number) itself.</summary>
    public const string Code = "code";

    /// <summary>A legacy code the subject is known by: organisation code, registration number, tax number ...</summary>
    public const string LegacyCode = "legacy_code";

    /// <summary>The name, by the search's fuzzy matching, above the accept score and unambiguous.</summary>
    public const string Name = "name";

    public const string None = "none";

    public static string ToChinese(string method) => method switch
    {
        Code => "代码精确匹配",
        LegacyCode => "原代码匹配",
        Name => "名称匹配",
        _ => "未匹配",
    };
}

/// <summary>
/// The subject an input row resolved to, or why none: <see cref="Unresolved"/> is NotFound or Ambiguous then.
/// <see cref="Flag"/> is a review reason about the match itself (the name given does not fit the code's subject).
/// </summary>
public sealed record SubjectMatch(
    int Row,
    long? SubjectId,
    string? SubjectName,
    string? Uscc,
    string? SubjectKind,
    string Method,
    string? Scheme,
    double? Score,
    string? NoteZh,
    string? NoteEn,
    CheckOutcome? Unresolved,
    CheckReason? Flag);

/// <summary>
/// Resolves a whole batch of input rows to subjects set-based: all codes in a few IN-list queries over
/// subject_identifiers (credit codes, legacy codes, and credit codes of subjects known only by the organisation code
/// inside them), all names against the in-memory name index (<see cref="SubjectSearchIndex"/>, the same normalisation
/// and explained score as the public search), then the matched subjects' names in one query.
/// </summary>
public sealed class SubjectMatcher(XinyongDatabase db, SubjectSearchIndex index)
{
    public const int ChunkSize = 10_000;

    private sealed record IdRow
    {
        public string Scheme { get; init; } = "";
        public string Value { get; init; } = "";
        public long SubjectId { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Uscc { get; init; }
    }

    private sealed record SubjectRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Uscc { get; init; }
    }

    private sealed record NameRow
    {
        public long SubjectId { get; init; }
        public string Name { get; init; } = "";
        public bool IsCurrent { get; init; }
    }

    public async Task<IReadOnlyList<SubjectMatch>> MatchAsync(IReadOnlyList<CheckInputRow> rows, CheckMatchOptions options, CancellationToken ct = default)
    {
        var results = new SubjectMatch?[rows.Count];
        var byCode = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Code is not { } raw) continue;
            var code = Identifier.Normalize(raw);
            if (code.Length == 0) continue;
            if (!byCode.TryGetValue(code, out var list)) byCode[code] = list = [];
            list.Add(i);
        }

        await using var conn = await db.OpenAsync(ct);
        var found = await ByCodeAsync(conn, byCode.Keys.ToList(), ct);
        foreach (var (code, indexes) in byCode)
        {
            if (!found.TryGetValue(code, out var candidates)) continue;
            var subjects = candidates.Count == 1 ? candidates : candidates.DistinctBy(c => c.SubjectId).ToList();
            // One code, several subjects (a legacy code reused, or given in the wrong column): the credit code wins when
            // it names exactly one subject; otherwise the row is ambiguous.
            var chosen = subjects.Count == 1 ? subjects[0] : candidates.Where(c => c.Scheme is "uscc" or "idcard").DistinctBy(c => c.SubjectId).SingleOrDefault();
            foreach (var i in indexes)
            {
                results[i] = chosen is null
                    ? new SubjectMatch(rows[i].Row, null, null, null, null, MatchMethods.None, null, null,
                        $"代码 {code} 对应 {subjects.Count} 个主体：{string.Join("、", subjects.Select(s => s.Name))}",
                        $"code {code} belongs to {subjects.Count} subjects", CheckOutcome.Ambiguous, null)
                    : new SubjectMatch(rows[i].Row, chosen.SubjectId, chosen.Name, chosen.Uscc, chosen.Kind,
                        chosen.Scheme is "uscc" or "idcard" ? MatchMethods.Code : MatchMethods.LegacyCode, chosen.Scheme, 1.0, null, null, null, null);
            }
        }

        // Names beside a matched code: does the name fit the subject (current or former name)?
        var both = Enumerable.Range(0, rows.Count).Where(i => results[i]?.SubjectId is not null && rows[i].Name is not null).ToList();
        if (both.Count > 0)
        {
            var names = (await NamesAsync(conn, both.Select(i => results[i]!.SubjectId!.Value).Distinct().ToList(), ct)).ToLookup(n => n.SubjectId);
            foreach (var i in both)
            {
                var m = results[i]!;
                var query = MatchKey.Parse(rows[i].Name);
                var best = names[m.SubjectId!.Value].Select(n => NameMatcher.Match(query, MatchKey.Parse(n.Name), !n.IsCurrent)).MaxBy(x => x.Score);
                if (best is null || best.Score >= options.NameMismatchScore) continue;
                var score = best.Score.ToString("0.00", CultureInfo.InvariantCulture);
                results[i] = m with
                {
                    Flag = new CheckReason("input-name-mismatch", RuleEffect.Review, "输入的名称与代码对应主体的名称不符", "The name given does not fit the code's subject",
                        "input", null, $"输入“{rows[i].Name}”，主体“{m.SubjectName}”，相似度 {score}", $"given \"{rows[i].Name}\", subject \"{m.SubjectName}\", score {score}", false),
                };
            }
        }

        // Rows still open: by name when one is given (also when the code was not found), else not found.
        var byName = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (results[i] is not null) continue;
            if (rows[i].Name is not null) byName.Add(i);
            else
            {
                results[i] = new SubjectMatch(rows[i].Row, null, null, null, null, MatchMethods.None, null, null,
                    rows[i].Code is null ? "未提供代码或名称" : $"代码 {rows[i].Code} 未找到对应主体",
                    rows[i].Code is null ? "neither code nor name given" : $"no subject has code {rows[i].Code}", CheckOutcome.NotFound, null);
            }
        }
        if (byName.Count > 0) await MatchNamesAsync(conn, rows, byName, results, options, ct);
        return results.Select(r => r!).ToList();
    }

    private async Task MatchNamesAsync(DbConnection conn, IReadOnlyList<CheckInputRow> rows, List<int> open, SubjectMatch?[] results, CheckMatchOptions options, CancellationToken ct)
    {
        var names = await index.EnsureLoadedAsync(ct);
        var hits = new ConcurrentDictionary<int, IReadOnlyList<NameHit>>();
        Parallel.ForEach(open, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, i =>
        {
            var found = names.Search(MatchKey.Parse(rows[i].Name), 0, 8);
            hits[i] = found.Hits;
        });
        var ids = hits.Values.SelectMany(h => h.Take(2)).Select(h => h.SubjectId).Distinct().ToList();
        var subjects = (await SubjectsAsync(conn, ids, ct)).ToDictionary(s => s.Id);
        foreach (var i in open)
        {
            var row = rows[i];
            var codeNote = row.Code is null ? "" : $"代码 {row.Code} 未找到；";
            var codeNoteEn = row.Code is null ? "" : $"code {row.Code} not found; ";
            var ranked = hits[i].Where(h => subjects.ContainsKey(h.SubjectId) && subjects[h.SubjectId].Kind != "natural_person").DistinctBy(h => h.SubjectId).ToList();
            if (ranked.Count == 0 || ranked[0].Match.Score < options.AcceptScore)
            {
                var near = ranked.Count == 0 ? "" : $"，最接近：{subjects[ranked[0].SubjectId].Name}（{F(ranked[0].Match.Score)}，低于接受分 {F(options.AcceptScore)}）";
                var nearEn = ranked.Count == 0 ? "" : $", nearest: {subjects[ranked[0].SubjectId].Name} ({F(ranked[0].Match.Score)}, below the accept score {F(options.AcceptScore)})";
                results[i] = new SubjectMatch(row.Row, null, null, null, null, MatchMethods.None, null, ranked.Count == 0 ? null : Math.Round(ranked[0].Match.Score, 3),
                    $"{codeNote}名称“{row.Name}”未找到足够相似的主体{near}", $"{codeNoteEn}no subject close enough to \"{row.Name}\"{nearEn}", CheckOutcome.NotFound, null);
                continue;
            }
            var best = ranked[0];
            var s = subjects[best.SubjectId];
            // The name as written (after widths, brackets and spaces) beats another subject's mere form variant of it:
            // 苏州华新电子科技有限公司 given, 苏州华新电子科技有限责任公司 also registered, is not ambiguous.
            var exactBeatsVariant = best.Match.Kind == MatchKind.Exact && ranked.Count > 1 && ranked[1].Match.Kind != MatchKind.Exact;
            if (ranked.Count > 1 && !exactBeatsVariant && ranked[1].Match.Score >= best.Match.Score - options.AmbiguityMargin)
            {
                var other = subjects[ranked[1].SubjectId];
                results[i] = new SubjectMatch(row.Row, null, null, null, null, MatchMethods.None, null, Math.Round(best.Match.Score, 3),
                    $"{codeNote}名称“{row.Name}”同时接近 {s.Name}（{s.Uscc ?? "无代码"}，{F(best.Match.Score)}）和 {other.Name}（{other.Uscc ?? "无代码"}，{F(ranked[1].Match.Score)}），请补充统一社会信用代码",
                    $"{codeNoteEn}\"{row.Name}\" is as close to {s.Name} ({F(best.Match.Score)}) as to {other.Name} ({F(ranked[1].Match.Score)}); add the credit code",
                    CheckOutcome.Ambiguous, null);
                continue;
            }
            var flag = row.Code is null ? null : new CheckReason("input-code-not-found", RuleEffect.Review, "输入的代码未找到，主体按名称匹配", "The code given was not found; the subject was matched by name",
                "input", null, $"代码 {row.Code}", $"code {row.Code}", false);
            results[i] = new SubjectMatch(row.Row, s.Id, s.Name, s.Uscc, s.Kind, MatchMethods.Name, best.Match.ReasonCode, Math.Round(best.Match.Score, 3),
                codeNote + best.Match.ReasonZh, codeNoteEn + best.Match.ReasonEn, null, flag);
        }
    }

    private static string F(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Every identifier row for the given codes, by code; credit codes not found also tried as the organisation code inside them.</summary>
    private async Task<Dictionary<string, List<IdRow>>> ByCodeAsync(DbConnection conn, List<string> codes, CancellationToken ct)
    {
        if (conn is SqliteConnection sqlite) return await ProbeSqliteAsync(sqlite, codes, ct);
        var found = new Dictionary<string, List<IdRow>>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(ChunkSize))
        {
            var rows = await conn.QueryAsync<IdRow>(new CommandDefinition(
                $"SELECT i.scheme, i.value, i.subject_id, s.kind, s.name, s.uscc FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.value {db.InList("codes")}",
                new { codes = db.ListParam(chunk) }, cancellationToken: ct));
            foreach (var r in rows)
            {
                if (!found.TryGetValue(r.Value, out var list)) found[r.Value] = list = [];
                list.Add(r);
            }
        }
        // A subject registered before the code conversion may be known only by the organisation code (positions 9-17).
        var orgOf = codes.Where(c => !found.ContainsKey(c) && c.Length == 18 && Identifier.Detect(c) == IdentifierKind.CreditCode)
            .GroupBy(c => c[8..17], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var chunk in orgOf.Keys.Chunk(ChunkSize))
        {
            var rows = await conn.QueryAsync<IdRow>(new CommandDefinition(
                $"SELECT 'uscc_org' AS scheme, i.value, i.subject_id, s.kind, s.name, s.uscc FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.scheme = 'org' AND s.uscc IS NULL AND i.value {db.InList("codes")}",
                new { codes = db.ListParam(chunk) }, cancellationToken: ct));
            foreach (var r in rows)
            {
                foreach (var code in orgOf[r.Value])
                {
                    if (!found.TryGetValue(code, out var list)) found[code] = list = [];
                    list.Add(r);
                }
            }
        }
        return found;
    }

    private const string CodeQuery =
        "SELECT i.scheme, i.subject_id, s.kind, s.name, s.uscc FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.value = ?1";

    private const string OrgOfUnconvertedQuery =
        "SELECT i.subject_id, s.kind, s.name, s.uscc FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id WHERE i.scheme = 'org' AND s.uscc IS NULL AND i.value = ?1";

    /// <summary>
    /// SQLite: one index probe per code through statements prepared once (the same rows as the IN-list queries of
    /// <see cref="ByCodeAsync"/>), in index order so that consecutive probes read neighbouring pages. A large batch is
    /// probed by one worker per processor, each on a connection of its own (SQLite serves readers in parallel, and the
    /// probes are CPU work in the page cache; docs/benchmarks.md, "Credit checks"). The workers take ranges of
    /// consecutive codes one at a time, so one whose pages are slower to read takes fewer.
    /// </summary>
    private async Task<Dictionary<string, List<IdRow>>> ProbeSqliteAsync(SqliteConnection conn, List<string> codes, CancellationToken ct)
    {
        var ordered = codes.Order(StringComparer.Ordinal).ToArray();
        if (ordered.Length < ParallelFrom) return ProbeSqlite(conn, [new ArraySegment<string>(ordered)], ct);
        var count = (ordered.Length + RangeSize - 1) / RangeSize;
        var next = -1;
        IEnumerable<ArraySegment<string>> Ranges()
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < count)
            {
                yield return new ArraySegment<string>(ordered, k * RangeSize, Math.Min(RangeSize, ordered.Length - k * RangeSize));
            }
        }
        var found = await Task.WhenAll(Enumerable.Range(0, Environment.ProcessorCount).Select(w => Task.Run(async () =>
        {
            if (w == 0) return ProbeSqlite(conn, Ranges(), ct);
            await using var own = await db.OpenAsync(ct);
            return ProbeSqlite((SqliteConnection)own, Ranges(), ct);
        }, ct)));
        var all = new Dictionary<string, List<IdRow>>(found.Sum(f => f.Count), StringComparer.Ordinal);
        foreach (var part in found)
        {
            foreach (var (code, rows) in part) all[code] = rows;
        }
        return all;
    }

    /// <summary>Batches at least this large are probed in parallel.</summary>
    private const int ParallelFrom = 4_096;

    /// <summary>Codes a parallel worker takes at a time.</summary>
    private const int RangeSize = 1_024;

    private static Dictionary<string, List<IdRow>> ProbeSqlite(SqliteConnection conn, IEnumerable<ArraySegment<string>> ranges, CancellationToken ct)
    {
        var found = new Dictionary<string, List<IdRow>>(StringComparer.Ordinal);
        using var byValue = new SqliteStatement(conn, CodeQuery);
        using var byOrg = new SqliteStatement(conn, OrgOfUnconvertedQuery);
        foreach (var ordered in ranges)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var code in ordered)
            {
                byValue.Text(1, code);
                while (byValue.Read())
                {
                    if (!found.TryGetValue(code, out var list)) found[code] = list = [];
                    list.Add(new IdRow
                    {
                        Scheme = byValue.ColumnSymbol(0)!, Value = code, SubjectId = byValue.ColumnInteger(1), Kind = byValue.ColumnSymbol(2)!,
                        Name = byValue.ColumnText(3)!, Uscc = byValue.ColumnText(4, code),
                    });
                }
            }
            foreach (var code in ordered)
            {
                if (found.ContainsKey(code) || code.Length != 18 || Identifier.Detect(code) != IdentifierKind.CreditCode) continue;
                var org = code[8..17];
                byOrg.Text(1, org);
                while (byOrg.Read())
                {
                    if (!found.TryGetValue(code, out var list)) found[code] = list = [];
                    list.Add(new IdRow
                    {
                        Scheme = "uscc_org", Value = org, SubjectId = byOrg.ColumnInteger(0), Kind = byOrg.ColumnSymbol(1)!, Name = byOrg.ColumnText(2)!,
                        Uscc = byOrg.ColumnText(3),
                    });
                }
            }
        }
        return found;
    }

    private async Task<List<SubjectRow>> SubjectsAsync(DbConnection conn, List<long> ids, CancellationToken ct)
    {
        var all = new List<SubjectRow>(ids.Count);
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            all.AddRange(await conn.QueryAsync<SubjectRow>(new CommandDefinition(
                $"SELECT id, kind, name, uscc FROM subjects WHERE id {db.InList("ids")}", new { ids = db.ListParam(chunk) }, cancellationToken: ct)));
        }
        return all;
    }

    private async Task<List<NameRow>> NamesAsync(DbConnection conn, List<long> ids, CancellationToken ct)
    {
        var all = new List<NameRow>(ids.Count);
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            all.AddRange(await conn.QueryAsync<NameRow>(new CommandDefinition(
                $"SELECT subject_id, name, is_current FROM subject_names WHERE subject_id {db.InList("ids")}", new { ids = db.ListParam(chunk) }, cancellationToken: ct)));
        }
        return all;
    }
}
