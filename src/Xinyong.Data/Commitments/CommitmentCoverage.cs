using Dapper;
using Xinyong.Core.Commitments;
using Xinyong.Data.Database;
using Xinyong.Data.Lists;

namespace Xinyong.Data.Commitments;

/// <summary>Progress against one target of the work plan: covered / base, as a percentage, and whether the target is met.</summary>
public sealed record TargetCoverage(CoverageTarget Target, long Covered, long Base, IReadOnlyList<string> MattersMissing)
{
    public decimal? Percent => Base == 0 ? null : Math.Round(100m * Covered / Base, 1);
    public bool Met => Percent is { } p && p >= Target.TargetPercent;
}

/// <summary>
/// One department and kind: commitments made to it, the market entities they cover, and the base they are counted
/// against — the market entities the department deals with (those it has records on, plus those that committed to it).
/// </summary>
public sealed record DepartmentKindCoverage
{
    public long DepartmentId { get; init; }
    public string DepartmentName { get; init; } = default!;
    public string Kind { get; init; } = default!;
    public long Commitments { get; init; }
    public long Breached { get; init; }
    public long Covered { get; init; }
    public long Base { get; init; }
    public decimal? Percent => Base == 0 ? null : Math.Round(100m * Covered / Base, 1);
}

/// <summary>One kind across departments: market entities covered, against all market entities.</summary>
public sealed record KindCoverage(string Kind, long Commitments, long Covered, long MarketEntities)
{
    public decimal? Percent => MarketEntities == 0 ? null : Math.Round(100m * Covered / MarketEntities, 1);
}

public sealed record CoverageReport(DateOnly On, long MarketEntities, IReadOnlyList<TargetCoverage> Targets, IReadOnlyList<KindCoverage> ByKind,
    IReadOnlyList<DepartmentKindCoverage> ByDepartment);

/// <summary>
/// Coverage figures of credit commitments. A subject is covered by a kind when it has a commitment of that kind that is
/// published and not breached (published, fulfilled, suspicion under review or cleared) — registered-only commitments and
/// confirmed breaches do not count. Market entities are legal persons and individual businesses.
/// </summary>
public sealed class CommitmentCoverage(XinyongDatabase db, CommitmentKindCatalogue kinds)
{
    private const string Counting = "c.status IN ('published', 'fulfilled', 'breach-suspected', 'cleared') AND c.published_on <= @on";
    private const string Market = "s.kind IN ('legal_person', 'individual_business')";

    public async Task<CoverageReport> ComputeAsync(DateOnly on, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var market = await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM subjects s WHERE {Market}");
        var targets = new List<TargetCoverage>();
        foreach (var t in kinds.Targets)
        {
            var kindList = db.ListParam(t.Kinds);
            switch (t.Denominator)
            {
                case CoverageDenominator.MarketEntities:
                {
                    var covered = await conn.ExecuteScalarAsync<long>($"""
                        SELECT COUNT(DISTINCT c.subject_id) FROM commitments c JOIN subjects s ON s.id = c.subject_id
                        WHERE c.kind {db.InList("kinds")} AND {Counting} AND {Market}
                        """, new { kinds = kindList, on });
                    targets.Add(new TargetCoverage(t, covered, market, []));
                    break;
                }
                case CoverageDenominator.BlackListed:
                {
                    // Black-listed subjects by THE active predicate of list entries.
                    var row = await conn.QuerySingleAsync<(long Base, long Covered)>($"""
                        SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM commitments c WHERE c.subject_id = b.subject_id AND c.kind {db.InList("kinds")} AND {Counting})
                                                   THEN 1 ELSE 0 END), 0)
                        FROM (SELECT DISTINCT e.subject_id FROM list_entries e WHERE e.kind = 'black' AND {ListEntries.ActivePredicate}) b
                        """, new { kinds = kindList, on });
                    targets.Add(new TargetCoverage(t, row.Covered, row.Base, []));
                    break;
                }
                default:
                {
                    var used = (await conn.QueryAsync<string>(
                        $"SELECT DISTINCT c.matter FROM commitments c WHERE c.kind {db.InList("kinds")} AND {Counting} AND c.matter IS NOT NULL",
                        new { kinds = kindList, on })).ToHashSet(StringComparer.Ordinal);
                    var missing = t.Matters.Where(m => !used.Contains(m)).ToList();
                    targets.Add(new TargetCoverage(t, t.Matters.Count - missing.Count, t.Matters.Count, missing));
                    break;
                }
            }
        }
        var groups = (await conn.QueryAsync<DepartmentKindCoverage>($"""
            SELECT c.department_id, d.name AS department_name, c.kind, COUNT(*) AS commitments,
                   SUM(CASE WHEN c.status = 'breach-confirmed' THEN 1 ELSE 0 END) AS breached,
                   COUNT(DISTINCT CASE WHEN {Counting} AND {Market} THEN c.subject_id END) AS covered
            FROM commitments c JOIN subjects s ON s.id = c.subject_id JOIN departments d ON d.id = c.department_id
            GROUP BY c.department_id, d.name, c.kind
            ORDER BY c.department_id, c.kind
            """, new { on })).ToList();
        // The base of a department, counted once: market entities it has records on or that committed to it.
        var bases = new Dictionary<long, long>();
        foreach (var dept in groups.Select(g => g.DepartmentId).Distinct())
        {
            bases[dept] = await conn.ExecuteScalarAsync<long>($"""
                SELECT COUNT(*) FROM (
                    SELECT r.subject_id FROM records r JOIN subjects s ON s.id = r.subject_id WHERE r.department_id = @dept AND {Market}
                    UNION
                    SELECT c.subject_id FROM commitments c JOIN subjects s ON s.id = c.subject_id WHERE c.department_id = @dept AND {Market}) u
                """, new { dept });
        }
        var byDepartment = groups.Select(g => g with { Base = bases[g.DepartmentId] }).ToList();
        var kindRows = (await conn.QueryAsync<(string Kind, long Commitments, long Covered)>($"""
            SELECT c.kind, COUNT(*), COUNT(DISTINCT CASE WHEN {Counting} AND {Market} THEN c.subject_id END)
            FROM commitments c JOIN subjects s ON s.id = c.subject_id GROUP BY c.kind
            """, new { on })).ToDictionary(r => r.Kind);
        var byKind = kinds.Ids.Select(k => kindRows.TryGetValue(k, out var r)
            ? new KindCoverage(k, r.Commitments, r.Covered, market)
            : new KindCoverage(k, 0, 0, market)).ToList();
        return new CoverageReport(on, market, targets, byKind, byDepartment);
    }
}
