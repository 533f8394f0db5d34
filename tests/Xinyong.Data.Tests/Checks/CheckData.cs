using System.Globalization;
using Dapper;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Checks;

/// <summary>Bulk test data for checks: many enterprises in one statement, and penalties with their publication rows.</summary>
internal static class CheckData
{
    /// <summary>Inserts enterprises with credit codes (identifier and current name rows too) and returns their ids by code.</summary>
    public static async Task<Dictionary<string, long>> EnterprisesAsync(TestPlatform p, IReadOnlyList<(string Uscc, string Name)> subjects)
    {
        var now = p.Clock.GetUtcNow().UtcDateTime;
        await using var conn = await p.Db.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        foreach (var chunk in subjects.Chunk(5_000))
        {
            if (p.Db.IsSqlite)
            {
                var json = System.Text.Json.JsonSerializer.Serialize(chunk.Select(s => new[] { s.Uscc, s.Name }));
                await conn.ExecuteAsync(
                    "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) SELECT 'legal_person', json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[1]'), @now, @now FROM json_each(@json)",
                    new { json, now }, tx);
            }
            else
            {
                await conn.ExecuteAsync(
                    "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) SELECT 'legal_person', u, n, n, @now, @now FROM unnest(@codes, @names) AS t(u, n)",
                    new { codes = chunk.Select(s => s.Uscc).ToArray(), names = chunk.Select(s => s.Name).ToArray(), now }, tx);
            }
        }
        await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) SELECT 'uscc', uscc, id, 'test' FROM subjects WHERE uscc IS NOT NULL", transaction: tx);
        await conn.ExecuteAsync("INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) SELECT id, name, name_key, TRUE, created_at FROM subjects", transaction: tx);
        var ids = (await conn.QueryAsync<(string Uscc, long Id)>("SELECT uscc, id FROM subjects WHERE uscc IS NOT NULL", transaction: tx)).ToDictionary(r => r.Uscc, r => r.Id);
        await tx.CommitAsync();
        return ids;
    }

    /// <summary>A penalty record with what the publication rules decided for it (grade, period, early end).</summary>
    public static async Task<long> PenaltyAsync(TestPlatform p, long subjectId, DateOnly decided, string grade, string kinds = "罚款", decimal amount = 1m,
        bool published = true, DateOnly? endedOn = null)
    {
        var now = p.Clock.GetUtcNow().UtcDateTime;
        await using var conn = await p.Db.OpenAsync();
        var number = $"昆市监处罚〔{decided.Year}〕{Guid.NewGuid().ToString("N")[..8]}号";
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, authority_name, amount,
                subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at)
            VALUES ('penalty', @number, 1, @subjectId, 1, 'h', @number, @decided, '昆山市市场监督管理局', @amount, 'x', 0, 0, 0, '{}', @now, @now) RETURNING id
            """, new { number, subjectId, decided, amount, now });
        await conn.ExecuteAsync(
            """
            INSERT INTO publications (record_id, record_type, subject_id, department_id, subject_kind, decision_date, kinds, published, grade, grade_source, rule_set,
                publish_from, publish_until, ended_on, ended_reason, computed_at)
            VALUES (@id, 'penalty', @subjectId, 1, 'legal_person', @decided, @kinds, @published, @grade, 'derived', '2026-repair', @decided, @until, @endedOn,
                @reason, @now)
            """, new { id, subjectId, decided, kinds, published, grade, until = decided.AddMonths(36), endedOn, reason = endedOn is null ? null : "repaired", now });
        return id;
    }

    public static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"昆山{Syllables[i % Syllables.Length]}{Syllables[(i / Syllables.Length) % Syllables.Length]}{i}号机电有限公司");

    private static readonly string[] Syllables = ["恒", "达", "华", "宏", "瑞", "新", "泰", "德", "联", "丰", "鑫", "通", "锦", "安", "永", "盛", "立", "科", "博", "华"];
}
