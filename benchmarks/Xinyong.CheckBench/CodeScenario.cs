using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Auditing;
using Xinyong.Core.Checks;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Core.Lists;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;

namespace Xinyong.CheckBench;

/// <summary>Why a subject of the batch must fail: the rule and the list entry or record that decides it.</summary>
internal sealed record Expected(string RuleId, long EvidenceId, string How);

/// <summary>The input of the by-code batch and its ground truth.</summary>
internal sealed record CodeCase(IReadOnlyList<string> Codes, IReadOnlyDictionary<string, long> SubjectIds, IReadOnlyDictionary<string, Expected> Failing, int DirtyExcluded)
{
    public int Listed => Failing.Values.Count(f => f.How.StartsWith("black-listed", StringComparison.Ordinal));
}

/// <summary>
/// Seed 001 on the seeded data: <c>Rows</c> enterprises picked with a seeded Random, of which exactly <c>Fail</c> must fail the
/// employment-subsidy purpose. <c>Listed</c> of them are put on a black list (judgment defaulters and major tax violators)
/// through the platform's own <see cref="ListStore"/>; the others are enterprises that already have exactly one serious
/// penalty decided in the purpose's window in the seeded data. Every other picked enterprise has no serious penalty near
/// the window and no list entry, found by a query written here (not by the check engine), so the answer is known before
/// the engine runs.
/// </summary>
internal static class CodeScenario
{
    private sealed record Enterprise(long Id, string Uscc);

    public static async Task<CodeCase> PrepareAsync(IServiceProvider services, CheckBenchOptions o, CheckPurpose purpose)
    {
        var db = services.GetRequiredService<XinyongDatabase>();
        var listRule = purpose.Rules.Single(r => r.List is not null);
        var recordRule = purpose.Rules.Single(r => r.Record is not null);
        var earliest = recordRule.Record!.Earliest(o.CheckDate);

        await using var conn = await db.OpenAsync();
        var enterprises = (await conn.QueryAsync<Enterprise>(
            "SELECT id, uscc FROM subjects WHERE kind = 'legal_person' AND uscc IS NOT NULL ORDER BY id")).ToList();
        // Serious penalties from a month before the window to the check date, counted per subject, and everyone on any list.
        var serious = (await conn.QueryAsync<(long Subject, long Record, DateOnly Decided, DateOnly? Ended)>(
            """
            SELECT subject_id, record_id, decision_date, ended_on FROM publications
            WHERE record_type = 'penalty' AND grade = 'serious' AND decision_date >= @from AND decision_date <= @to
            """, new { from = earliest.AddMonths(-1), to = o.CheckDate.AddMonths(1) })).ToLookup(r => r.Subject);
        var listed = (await conn.QueryAsync<long>("SELECT DISTINCT subject_id FROM list_entries")).ToHashSet();

        var rng = new Random(o.Seed);
        var clean = enterprises.Where(e => !serious.Contains(e.Id) && !listed.Contains(e.Id)).ToList();
        // Exactly one serious penalty, well inside the window, not ended: fails with that record as the one reason.
        var natural = enterprises.Where(e => !listed.Contains(e.Id) && serious[e.Id].Count() == 1 && serious[e.Id].All(r =>
            r.Decided >= earliest.AddDays(7) && r.Decided <= o.CheckDate.AddDays(-7) && r.Ended is null)).ToList();
        Shuffle(clean, rng);
        Shuffle(natural, rng);
        var needClean = o.Rows - o.Fail + o.Listed;
        var needNatural = o.Fail - o.Listed;
        if (clean.Count < needClean)
            throw new ArgumentException($"The database has {clean.Count:N0} enterprises without serious penalties or list entries; --rows {o.Rows:N0} needs {needClean:N0}.");
        if (natural.Count < needNatural)
            throw new ArgumentException($"The database has {natural.Count:N0} enterprises with exactly one serious penalty in the window; {needNatural} are needed (raise --listed).");

        var toList = clean.Take(o.Listed).ToList();
        var passing = clean.Skip(o.Listed).Take(o.Rows - o.Fail).ToList();
        var failingNatural = natural.Take(needNatural).ToList();
        var failing = new Dictionary<string, Expected>(StringComparer.Ordinal);
        foreach (var e in failingNatural)
        {
            failing[e.Uscc] = new Expected(recordRule.Id, serious[e.Id].Single().Record, "serious penalty in the seeded data");
        }
        foreach (var (e, entryId) in await DesignateAsync(services, toList, o.CheckDate))
        {
            failing[e.Uscc] = new Expected(listRule.Id, entryId, "black-listed by the benchmark (ListStore.RecordDecidedAsync)");
        }

        var all = passing.Concat(toList).Concat(failingNatural).ToList();
        Shuffle(all, rng);
        return new CodeCase(all.Select(e => e.Uscc).ToList(), all.ToDictionary(e => e.Uscc, e => e.Id, StringComparer.Ordinal), failing,
            enterprises.Count - clean.Count);
    }

    /// <summary>Court defaulters and major tax violators decided 30-49 days before the check date, recorded as their departments would.</summary>
    private static async Task<List<(Enterprise, long)>> DesignateAsync(IServiceProvider services, List<Enterprise> subjects, DateOnly checkDate)
    {
        var store = services.GetRequiredService<ListStore>();
        var types = services.GetRequiredService<ListTypeCatalogue>();
        var departments = services.GetRequiredService<DepartmentStore>();
        var court = (await departments.FindAsync("fy"))!;
        var tax = (await departments.FindAsync("swj"))!;
        var done = new List<(Enterprise, long)>();
        for (var i = 0; i < subjects.Count; i++)
        {
            var (type, dept, grounds, number) = i % 2 == 0
                ? ("judgment-defaulter", court, "有履行能力而拒不履行生效法律文书确定的义务", string.Create(CultureInfo.InvariantCulture, $"(2026)苏0583执{9000 + i}号"))
                : ("serious-dishonesty-tax", tax, "虚开增值税专用发票，查补税款金额较大", string.Create(CultureInfo.InvariantCulture, $"苏税稽罚〔2026〕{900 + i}号"));
            var decided = checkDate.AddDays(-30 - i);
            var actor = new Actor(ActorKind.User, "checkbench-" + dept.Code, dept.Id);
            var (entry, _) = await store.RecordDecidedAsync(
                new ListDecision(type, subjects[i].Id, dept.Id, grounds, null, types.Latest(type)!.LegalBasisZh, number, decided), actor);
            done.Add((subjects[i], entry.Id));
        }
        return done;
    }

    public static async Task WriteCsvAsync(string path, IReadOnlyList<string?> codes, IReadOnlyList<string?> names)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var w = new StreamWriter(path, false, new UTF8Encoding(true));
        var withCodes = codes.Count > 0;
        var withNames = names.Count > 0;
        await w.WriteLineAsync(withCodes && withNames ? "统一社会信用代码,名称" : withCodes ? "统一社会信用代码" : "名称");
        var n = Math.Max(codes.Count, names.Count);
        for (var i = 0; i < n; i++)
        {
            var cells = new List<string?>();
            if (withCodes) cells.Add(codes[i]);
            if (withNames) cells.Add(names[i]);
            await w.WriteLineAsync(CsvText.Line(cells));
        }
    }

    public static void Shuffle<T>(List<T> list, Random rng)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
