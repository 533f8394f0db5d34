using Dapper;
using Xinyong.Core.Departments;
using Xinyong.Data.Database;

namespace Xinyong.Data.Departments;

public sealed record Department
{
    public long Id { get; init; }
    public string Code { get; init; } = default!;
    public string Name { get; init; } = default!;
    public string FullName { get; init; } = default!;
    public string Kind { get; init; } = default!;
    public string Aliases { get; init; } = default!;

    public bool IsCreditOffice => Kind == MemberUnit.CreditOffice;

    public bool IsNamedBy(string text)
    {
        var t = text.Trim();
        return string.Equals(t, Code, StringComparison.OrdinalIgnoreCase) || t == Name || t == FullName
               || Aliases.Split('|', StringSplitOptions.RemoveEmptyEntries).Contains(t);
    }
}

/// <summary>Member units: seeded from the seeds' assessment tables, looked up by code, name, full name or alias.</summary>
public sealed class DepartmentStore(XinyongDatabase db, TimeProvider clock)
{
    private IReadOnlyList<Department>? _cache;

    public async Task<int> SeedAsync(IEnumerable<MemberUnit> units, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var n = 0;
        foreach (var u in units)
        {
            n += await conn.ExecuteAsync(
                "INSERT INTO departments (code, name, full_name, kind, aliases, created_at) VALUES (@Code, @Name, @FullName, @Kind, @aliases, @at) ON CONFLICT (code) DO NOTHING",
                new { u.Code, u.Name, u.FullName, u.Kind, aliases = string.Join('|', u.Aliases), at = clock.GetUtcNow().UtcDateTime }, tx);
        }
        await tx.CommitAsync(ct);
        _cache = null;
        return n;
    }

    public async Task<IReadOnlyList<Department>> ListAsync(CancellationToken ct = default)
    {
        if (_cache is not null) return _cache;
        await using var conn = await db.OpenAsync(ct);
        _cache = (await conn.QueryAsync<Department>("SELECT id, code, name, full_name, kind, aliases FROM departments ORDER BY id")).ToList();
        return _cache;
    }

    public async Task<Department?> GetAsync(long id, CancellationToken ct = default) =>
        (await ListAsync(ct)).FirstOrDefault(d => d.Id == id);

    /// <summary>Finds a unit by its code or any of its names as written in the seeds (e.g. 市场监管局).</summary>
    public async Task<Department?> FindAsync(string codeOrName, CancellationToken ct = default) =>
        (await ListAsync(ct)).FirstOrDefault(d => d.IsNamedBy(codeOrName));
}
