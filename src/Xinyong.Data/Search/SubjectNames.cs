using Dapper;
using Xinyong.Core.Normalization;
using Xinyong.Data.Database;

namespace Xinyong.Data.Search;

/// <summary>Name changes of subjects: the old current name stays as a former name (曾用名).</summary>
public sealed class SubjectNames(XinyongDatabase db, TimeProvider clock)
{
    /// <summary>
    /// Records that a subject is known by <paramref name="newName"/> from <paramref name="seenAt"/> on: its current
    /// name becomes a former name and the new one becomes current (a name used before becomes current again).
    /// Returns false when the subject already has that name. The search index picks the change up on its next
    /// <see cref="SubjectSearchIndex.RefreshAsync"/>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No subject with that id.</exception>
    public async Task<bool> RecordNameAsync(long subjectId, string newName, DateTime seenAt, CancellationToken ct = default)
    {
        var name = ChineseText.CleanCell(newName);
        var key = ChineseText.NameKey(name);
        if (key.Length == 0) throw new ArgumentException("The new name is empty.", nameof(newName));
        var now = clock.GetUtcNow().UtcDateTime;
        seenAt = seenAt.Kind == DateTimeKind.Utc ? seenAt : seenAt.ToUniversalTime();

        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var currentKey = await conn.QuerySingleOrDefaultAsync<string?>("SELECT name_key FROM subjects WHERE id = @subjectId", new { subjectId }, tx)
            ?? throw new KeyNotFoundException($"No subject {subjectId}.");
        if (currentKey == key) return false;

        await conn.ExecuteAsync("UPDATE subject_names SET is_current = @no WHERE subject_id = @subjectId AND is_current = @yes",
            new { subjectId, yes = true, no = false }, tx);
        var reused = await conn.ExecuteAsync("UPDATE subject_names SET is_current = @yes, name = @name WHERE subject_id = @subjectId AND name_key = @key",
            new { subjectId, name, key, yes = true }, tx);
        if (reused == 0)
        {
            await conn.ExecuteAsync(
                "INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@subjectId, @name, @key, @yes, @seenAt)",
                new { subjectId, name, key, yes = true, seenAt }, tx);
        }
        await conn.ExecuteAsync("UPDATE subjects SET name = @name, name_key = @key, updated_at = @now WHERE id = @subjectId",
            new { subjectId, name, key, now }, tx);
        await tx.CommitAsync(ct);
        return true;
    }
}
