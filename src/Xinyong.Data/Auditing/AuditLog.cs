using System.Data.Common;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Auditing;

public sealed record AuditEntry
{
    public long Id { get; init; }
    public DateTime At { get; init; }
    public string Actor { get; init; } = default!;
    public string ActorKind { get; init; } = default!;
    public long? DepartmentId { get; init; }
    public string Action { get; init; } = default!;
    public string Entity { get; init; } = default!;
    public string? EntityId { get; init; }
    public string? Detail { get; init; }
}

/// <summary>The append-only audit trail: every write names its actor (person, department system, CLI operator).</summary>
public sealed class AuditLog(XinyongDatabase db, TimeProvider clock)
{
    public async Task WriteAsync(Actor actor, string action, string entity, string? entityId, object? detail = null,
        DbConnection? conn = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var own = conn is null;
        conn ??= await db.OpenAsync(ct);
        try
        {
            await conn.ExecuteAsync(
                "INSERT INTO audit_log (at, actor, actor_kind, department_id, action, entity, entity_id, detail) VALUES (@at, @actor, @kind, @dept, @action, @entity, @entityId, @detail)",
                new
                {
                    at = clock.GetUtcNow().UtcDateTime, actor = actor.Name, kind = actor.KindCode, dept = actor.DepartmentId,
                    action, entity, entityId, detail = detail is null ? null : JsonSerializer.Serialize(detail),
                }, tx);
        }
        finally
        {
            if (own) await conn.DisposeAsync();
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit = 200, long? departmentId = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<AuditEntry>(
            "SELECT id, at, actor, actor_kind, department_id, action, entity, entity_id, detail FROM audit_log WHERE (@dept IS NULL OR department_id = @dept) ORDER BY id DESC LIMIT @limit",
            new { limit, dept = departmentId })).ToList();
    }
}
