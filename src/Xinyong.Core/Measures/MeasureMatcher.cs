namespace Xinyong.Core.Measures;

/// <summary>A list entry in force, as the matcher needs it.</summary>
public sealed record TriggeringEntry(long Id, string ListType, long SubjectId, string LegalBasis, string? DecisionNumber, DateOnly ListedFrom, DateOnly? ListedUntil);

/// <summary>A natural person's role in an entity (法定代表人 of company X).</summary>
public sealed record SubjectRole(long EntityId, long PersonId, string Role);

/// <summary>One listing behind a measure: the entry, and when the asked-about person is reached through an entity, the role.</summary>
public sealed record MeasureBasis(TriggeringEntry Entry, string? ViaRole);

/// <summary>
/// A measure that applies to the matter, with the listings behind it; or a punishment withheld because lenient rules
/// cover every listing that would trigger it (then <see cref="Withheld"/> names them).
/// </summary>
public sealed record MeasureMatch(Measure Measure, IReadOnlyList<MeasureBasis> Basis, IReadOnlyList<LenientRule> Withheld)
{
    public bool IsWithheld => Basis.Count == 0 && Withheld.Count > 0;
}

/// <summary>
/// Answers "department D handles matter M for subject S on day d: which measures apply?". Pure: the caller supplies the
/// listings in force (the one active predicate), the subject's roles in entities, and the lenient rules.
/// A measure applies when it is in force, implemented by D, covers M, and is triggered by a listing of S itself, or of
/// an entity in which S holds a role the measure extends to. Punishments whose every triggering listing is covered by a
/// lenient rule are withheld and reported as such; rewards are never withheld.
/// </summary>
public static class MeasureMatcher
{
    public static IReadOnlyList<MeasureMatch> Match(MeasureCatalogue catalogue, string departmentCode, string matterKind, long subjectId,
        IReadOnlyList<TriggeringEntry> activeEntries, IReadOnlyList<SubjectRole> roles, IReadOnlyList<LenientRule> lenient, DateOnly day)
    {
        var rolesByEntity = roles.Where(r => r.PersonId == subjectId).GroupBy(r => r.EntityId).ToDictionary(g => g.Key, g => g.Select(r => r.Role).ToList());
        var result = new List<MeasureMatch>();
        foreach (var m in catalogue.InForce(day))
        {
            if (!m.ImplementedBy(departmentCode) || !m.AppliesTo(matterKind)) continue;
            var basis = new List<MeasureBasis>();
            foreach (var e in activeEntries.Where(e => m.TriggeredBy(e.ListType)))
            {
                if (e.SubjectId == subjectId)
                {
                    basis.Add(new MeasureBasis(e, null));
                }
                else if (rolesByEntity.TryGetValue(e.SubjectId, out var held) && held.FirstOrDefault(m.Reaches) is { } role)
                {
                    basis.Add(new MeasureBasis(e, role));
                }
            }
            if (basis.Count == 0) continue;
            if (m.Kind == MeasureKind.Reward)
            {
                result.Add(new MeasureMatch(m, basis, []));
                continue;
            }
            var withheldBy = new List<LenientRule>();
            var remaining = new List<MeasureBasis>();
            foreach (var b in basis)
            {
                var rules = lenient.Where(r => r.Covers(b.Entry, day)).ToList();
                if (rules.Count > 0) withheldBy.AddRange(rules);
                else remaining.Add(b);
            }
            result.Add(new MeasureMatch(m, remaining, withheldBy.DistinctBy(r => r.Id).ToList()));
        }
        return result;
    }
}
