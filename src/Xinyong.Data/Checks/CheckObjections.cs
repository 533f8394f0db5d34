using Xinyong.Data.Objections;

namespace Xinyong.Data.Checks;

/// <summary>
/// Which records and list entries are under objection (异议中). Information under objection is not used against a
/// subject until the objection is settled: a check it would fail becomes needs-review. An interface so tests can
/// flag items without filing objections.
/// </summary>
public interface ICheckObjections
{
    Task<IReadOnlySet<long>> ForRecordsAsync(IReadOnlyCollection<long> recordIds);

    Task<IReadOnlySet<long>> ForListEntriesAsync(IReadOnlyCollection<long> listEntryIds);
}

/// <summary>The platform's objections (<see cref="OpenObjections"/>, the one open predicate), asked in chunks.</summary>
public sealed class CheckObjections(OpenObjections open) : ICheckObjections
{
    private const int Chunk = 10_000;

    public Task<IReadOnlySet<long>> ForRecordsAsync(IReadOnlyCollection<long> recordIds) => InChunks(recordIds, ids => open.ForRecordsAsync(ids));

    public Task<IReadOnlySet<long>> ForListEntriesAsync(IReadOnlyCollection<long> listEntryIds) => InChunks(listEntryIds, ids => open.ForListEntriesAsync(ids));

    private static async Task<IReadOnlySet<long>> InChunks(IReadOnlyCollection<long> ids, Func<IReadOnlyCollection<long>, Task<IReadOnlySet<long>>> ask)
    {
        if (ids.Count <= Chunk) return await ask(ids);
        var all = new HashSet<long>();
        foreach (var chunk in ids.Chunk(Chunk)) all.UnionWith(await ask(chunk));
        return all;
    }
}
