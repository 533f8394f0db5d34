using System.Globalization;
using Xinyong.Core.Checks;
using Xinyong.Data.Checks;

namespace Xinyong.CheckBench;

/// <summary>Checks the engine's answers against the ground truth known before it ran; returns the problems found (empty = right).</summary>
internal static class Verify
{
    public static List<string> Codes(CodeCase c, IReadOnlyList<CheckRowResult> results)
    {
        var problems = new List<string>();
        if (results.Count != c.Codes.Count) problems.Add($"{results.Count} result rows for {c.Codes.Count} input rows");
        foreach (var r in results)
        {
            var code = r.InputCode ?? "";
            if (!c.SubjectIds.TryGetValue(code, out var id))
            {
                problems.Add($"row {r.Row}: input code '{code}' was not in the input");
                continue;
            }
            if (r.SubjectId != id || r.MatchMethod != MatchMethods.Code)
                problems.Add($"row {r.Row} {code}: matched {r.SubjectId?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} by {r.MatchMethod}, expected subject {id} by code");
            if (c.Failing.TryGetValue(code, out var expected))
            {
                var reason = r.Reasons.Count == 1 ? r.Reasons[0] : null;
                if (r.Outcome != CheckOutcome.Fail || reason is null || reason.RuleId != expected.RuleId || reason.EvidenceId != expected.EvidenceId)
                {
                    problems.Add($"row {r.Row} {code}: {r.Outcome} with [{string.Join(", ", r.Reasons.Select(x => $"{x.RuleId}#{x.EvidenceId}"))}], " +
                                 $"expected fail with [{expected.RuleId}#{expected.EvidenceId}] ({expected.How})");
                }
            }
            else if (r.Outcome != CheckOutcome.Pass)
            {
                problems.Add($"row {r.Row} {code}: {r.Outcome} with [{string.Join("; ", r.Reasons.Select(x => x.TextZh))}], expected pass");
            }
        }
        var failed = results.Count(r => r.Outcome == CheckOutcome.Fail);
        if (failed != c.Failing.Count) problems.Insert(0, $"{failed} rows failed, expected exactly {c.Failing.Count}");
        return problems;
    }

    /// <summary>Row by row: the same subject, outcome and reasons (rule and evidence) both ways.</summary>
    public static List<string> Same(IReadOnlyList<CheckRowResult> a, IReadOnlyList<CheckRowResult> b)
    {
        var problems = new List<string>();
        if (a.Count != b.Count) problems.Add($"{a.Count} rows one way, {b.Count} the other");
        foreach (var (x, y) in a.Zip(b))
        {
            if (x.Row != y.Row || x.SubjectId != y.SubjectId || x.Outcome != y.Outcome ||
                !x.Reasons.Select(r => (r.RuleId, r.EvidenceId)).SequenceEqual(y.Reasons.Select(r => (r.RuleId, r.EvidenceId))))
            {
                problems.Add($"row {x.Row}: batch {x.SubjectId} {x.Outcome}, naive {y.SubjectId} {y.Outcome}");
            }
        }
        return problems;
    }

    /// <summary>
    /// Per variant: correct (the right subject), wrong (another subject), ambiguous, not found, of which the right subject
    /// was the nearest candidate but scored below the accept score (<paramref name="nearestRight"/>, from the name index), and
    /// rows whose real name another subject also has.
    /// </summary>
    public static List<NameStats> Names(IReadOnlyList<NameRow> truth, IReadOnlyList<CheckRowResult> results, Func<int, bool> nearestRight)
    {
        var table = new List<NameStats>();
        foreach (var variant in Variants.All.Append("total"))
        {
            var idx = Enumerable.Range(0, truth.Count).Where(i => variant == "total" || truth[i].Variant == variant).ToList();
            if (idx.Count == 0) continue;
            table.Add(new NameStats(variant, idx.Count,
                idx.Count(i => results[i].SubjectId == truth[i].SubjectId),
                idx.Count(i => results[i].SubjectId is { } s && s != truth[i].SubjectId),
                idx.Count(i => results[i].SubjectId is null && results[i].Outcome == CheckOutcome.Ambiguous),
                idx.Count(i => results[i].SubjectId is null && results[i].Outcome != CheckOutcome.Ambiguous),
                idx.Count(i => results[i].SubjectId is null && results[i].Outcome != CheckOutcome.Ambiguous && nearestRight(i)),
                idx.Count(i => truth[i].NameShared)));
        }
        return table;
    }
}

internal sealed record NameStats(string Variant, int Rows, int Correct, int Wrong, int Ambiguous, int NotFound, int NearestRight, int Shared);
