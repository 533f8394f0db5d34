using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Normalization;
using Xinyong.Data.Lists;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Data.Tests.Lists;
using Xinyong.Identifiers;

namespace Xinyong.Data.Tests.Measures;

/// <summary>Subjects with codes and names, and listings decided elsewhere, for the measures tests.</summary>
internal static class MeasureFixtures
{
    public const string PersonId = "11010519491231002X";

    public static string Code(int seed) => CodeGenerator.NextCreditCode(new Random(seed), "320583").Value;

    public static async Task<long> SubjectAsync(TestPlatform p, string name, string? uscc, string kind = "legal_person", string? idcard = null)
    {
        await using var conn = await p.Db.OpenAsync();
        var now = p.Clock.GetUtcNow().UtcDateTime;
        var key = ChineseText.NameKey(name);
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES (@kind, @uscc, @name, @key, @now, @now) RETURNING id",
            new { kind, uscc, name, key, now });
        await conn.ExecuteAsync("INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@id, @name, @key, @yes, @now)",
            new { id, name, key, yes = true, now });
        if (uscc is not null) await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('uscc', @uscc, @id, 'test')", new { uscc, id });
        if (idcard is not null) await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('idcard', @idcard, @id, 'test')", new { idcard, id });
        return id;
    }

    /// <summary>A court judgment-defaulter listing, published from <paramref name="from"/>.</summary>
    public static async Task<long> DefaulterAsync(TestPlatform p, long subject, string caseNumber, DateOnly from)
    {
        var court = await ListStoreTests.OfficerAsync(p, "fy");
        var (entry, _) = await p.Get<ListStore>().RecordDecidedAsync(new ListDecision("judgment-defaulter", subject, court.DepartmentId!.Value,
            "有履行能力而拒不履行生效法律文书确定的义务", caseNumber, "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条", caseNumber, from), court);
        return entry.Id;
    }

    public static async Task<long> TaxBlackAsync(TestPlatform p, long subject, string number, DateOnly from)
    {
        var tax = await ListStoreTests.OfficerAsync(p, "swj");
        var (entry, _) = await p.Get<ListStore>().RecordDecidedAsync(new ListDecision("serious-dishonesty-tax", subject, tax.DepartmentId!.Value,
            "虚开增值税专用发票", number, "《重大税收违法失信主体信息公布管理办法》第六条", number, from), tax);
        return entry.Id;
    }

    public static Task<Actor> SystemOfAsync(TestPlatform p, string code) => ListStoreTests.OfficerAsync(p, code);

    public static readonly Actor CreditOffice = new(ActorKind.User, "credit-office-admin");
}
