using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Checks;
using Xinyong.Core.Lists;
using Xinyong.Data.Auditing;
using Xinyong.Data.Checks;
using Xinyong.Data.Lists;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Data.Tests.Lists;

namespace Xinyong.Data.Tests.Checks;

public sealed class CheckRunnerTests
{
    private static readonly DateOnly CheckDate = new(2026, 11, 20);
    private static readonly Actor Clerk = new(ActorKind.User, "rsj-clerk", null);

    /// <summary>
    /// Seed 001: 36,950 enterprises checked for the job-stabilisation refund, 37 failed for serious dishonesty records.
    /// Here 20 of the 37 are on black lists (court defaulters, major tax violators) and 17 have a serious penalty decided in
    /// the 12 months before the check date. Around them: enterprises that must pass although they have something on file
    /// (a serious penalty 13 months old, a repaired serious penalty, general penalties, an ended or expired black listing,
    /// a watch-list entry, a red-list entry).
    /// </summary>
    [Theory, DatabaseProviders]
    public async Task RunAsync_SeedCaseAtFullSize_ExactlyThe37WithSeriousRecordsFailWithTheirReason(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        const int total = 36_950;
        var codes = PenaltyFile.Codes(total + 1_000, seed: 2020).Distinct().Take(total).ToList();
        var ids = await CheckData.EnterprisesAsync(p, codes.Select((c, i) => (c, CheckData.Name(i))).ToList());
        ids.Count.ShouldBe(total);
        var rng = new Random(36950);
        var picked = codes.OrderBy(_ => rng.Next()).Take(60).ToList();
        var expected = new Dictionary<string, (string Rule, long Evidence)>();
        var store = p.Get<ListStore>();
        var court = await ListStoreTests.OfficerAsync(p, "fy");
        var tax = await ListStoreTests.OfficerAsync(p, "swj");
        var market = await ListStoreTests.OfficerAsync(p, "scjgj");

        for (var i = 0; i < 20; i++)
        {
            var code = picked[i];
            var (type, actor) = i % 2 == 0 ? ("judgment-defaulter", court) : ("serious-dishonesty-tax", tax);
            var (entry, _) = await store.RecordDecidedAsync(Decision(type, ids[code], 0, "拒不履行生效判决确定的给付义务", null, null,
                $"(2026)苏0583执{1000 + i}号", CheckDate.AddDays(-30 - i)), actor);
            expected[code] = ("serious-dishonesty-list", entry.Id);
        }
        for (var i = 20; i < 37; i++)
        {
            var code = picked[i];
            var record = await CheckData.PenaltyAsync(p, ids[code], CheckDate.AddMonths(-12).AddDays(i - 20), "serious", "罚款;吊销许可证件", 150m);
            expected[code] = ("serious-penalty-12-months", record);
        }
        // Must pass: serious but 13 months old; serious but repaired before the check date; general recent penalties.
        await CheckData.PenaltyAsync(p, ids[picked[37]], CheckDate.AddMonths(-13), "serious");
        await CheckData.PenaltyAsync(p, ids[picked[38]], CheckDate.AddMonths(-6), "serious", endedOn: CheckDate.AddDays(-3));
        for (var i = 39; i < 45; i++) await CheckData.PenaltyAsync(p, ids[picked[i]], CheckDate.AddMonths(-2), "general");
        // Must pass: a black listing that ended, one whose period ran out, a watch-list entry and a red-list entry.
        var (ended, _) = await store.RecordDecidedAsync(Decision("judgment-defaulter", ids[picked[45]], 0, "未履行", null, null, "(2025)苏0583执1号", new DateOnly(2025, 3, 1)), court);
        await store.EndAsync(ended.Id, ListEndReasons.ExitConditions, "已全部履行", court);
        await store.RecordDecidedAsync(Decision("serious-dishonesty-tax", ids[picked[46]], 0, "虚开发票", null, null, "苏税稽罚〔2022〕1号",
            new DateOnly(2022, 6, 1), ListedUntil: new DateOnly(2025, 6, 1)), tax);
        await store.RecordDecidedAsync(Decision("abnormal-operation", ids[picked[47]], 0, "未按期公示年度报告", null, null, "昆市监异〔2026〕3号", new DateOnly(2026, 7, 1)), market);
        await store.RecordDecidedAsync(Decision("a-grade-taxpayer", ids[picked[48]], 0, "2025年度纳税信用A级", null, null, "苏税信〔2026〕1号", new DateOnly(2026, 4, 1)), tax);

        var runner = p.Get<CheckRunner>();
        var rows = codes.Select((c, i) => new CheckInputRow(i + 1, c, null)).ToList();
        var run = await runner.CreateBatchAsync("employment-subsidy", "2020年度稳岗返还（先行兑现）", "qiye.csv", "sha", null, rows.Count, CheckMatchOptions.Default, Clerk, CheckDate);
        var progress = new List<CheckProgress>();
        var file = Path.Combine(Path.GetTempPath(), $"xinyong-seedcase-{Guid.NewGuid():N}.csv");
        IReadOnlyList<CheckRowResult> results;
        string[] lines;
        try
        {
            results = await runner.RunToFileAsync(run.Id, rows, file, new SyncProgress(progress));
            lines = await File.ReadAllLinesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }

        results.Count.ShouldBe(total);
        // The result file, written while the rows were stored: a header and one line per input row, the 37 failures among them.
        lines.Length.ShouldBe(total + 1);
        lines.Count(l => l.Contains(",不通过,fail,", StringComparison.Ordinal)).ShouldBe(37);
        lines.Count(l => l.Contains(",通过,pass,", StringComparison.Ordinal)).ShouldBe(total - 37);
        var failed = results.Where(r => r.Outcome == CheckOutcome.Fail).ToList();
        failed.Count.ShouldBe(37);
        failed.Select(r => r.InputCode!).ShouldBe(expected.Keys, ignoreOrder: true);
        foreach (var f in failed)
        {
            var reason = f.Reasons.Single();
            (reason.RuleId, reason.EvidenceId!.Value).ShouldBe(expected[f.InputCode!]);
            f.MatchMethod.ShouldBe(MatchMethods.Code);
            f.SubjectId.ShouldBe(ids[f.InputCode!]);
        }
        results.Count(r => r.Outcome == CheckOutcome.Pass).ShouldBe(total - 37);
        progress.ShouldContain(x => x.Phase == "load" && x.Done == total);

        var stored = (await p.Get<CheckRuns>().GetAsync(run.Id))!;
        stored.Status.ShouldBe(CheckRunStatus.Done);
        (stored.Passed, stored.Failed, stored.Review, stored.NotFound).ShouldBe((total - 37, 37, 0, 0));
        stored.PurposeVersion.ShouldBe(1);
        stored.CheckDate.ShouldBe(CheckDate);
        var version = DataVersion.FromJson(stored.DataVersion)!;
        version.MaxRecordId.ShouldBe(await p.ScalarAsync("SELECT MAX(id) FROM records"));
        version.MaxListEventId.ShouldBe(await p.ScalarAsync("SELECT MAX(id) FROM list_entry_events"));
        (await p.Get<CheckRuns>().ResultsAsync(run.Id, "fail")).Count.ShouldBe(37);
        (await p.Get<AuditLog>().RecentAsync()).ShouldContain(a => a.Action == "check.batch" && a.EntityId == run.Id.ToString() && a.Actor == "rsj-clerk");
    }

    /// <summary>
    /// SQLite's NUMERIC affinity stores 150 万元 as an integer and 0.5 万元 as a real: one batch reading both must not fail
    /// (it did on the seeded benchmark database, where whole-number fines are common).
    /// </summary>
    [Theory, DatabaseProviders]
    public async Task RunAsync_WholeAndFractionalFineAmounts_BothReadAndBothFail(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var codes = PenaltyFile.Codes(5, seed: 17).Distinct().Take(4).ToList();
        var ids = await CheckData.EnterprisesAsync(p, codes.Select((c, i) => (c, CheckData.Name(i))).ToList());
        var ordered = codes.OrderBy(c => ids[c]).ToList();
        var fractional = await CheckData.PenaltyAsync(p, ids[ordered[0]], CheckDate.AddMonths(-2), "serious", amount: 0.5m);
        var whole = await CheckData.PenaltyAsync(p, ids[ordered[1]], CheckDate.AddMonths(-3), "serious", amount: 150m);
        var fractional2 = await CheckData.PenaltyAsync(p, ids[ordered[2]], CheckDate.AddMonths(-4), "serious", amount: 2.25m);

        var runner = p.Get<CheckRunner>();
        var rows = ordered.Select((c, i) => new CheckInputRow(i + 1, c, null)).ToList();
        var run = await runner.CreateBatchAsync("employment-subsidy", null, "amounts.csv", "sha", null, rows.Count, CheckMatchOptions.Default, Clerk, CheckDate);
        var results = await runner.RunAsync(run.Id, rows);

        results.Select(r => r.Outcome).ShouldBe([CheckOutcome.Fail, CheckOutcome.Fail, CheckOutcome.Fail, CheckOutcome.Pass]);
        results.Take(3).Select(r => r.Reasons.Single().EvidenceId!.Value).ShouldBe([fractional, whole, fractional2]);
    }

    /// <summary>A result file exists only for a stored run: when storing the rows fails, the file written beside it is removed.</summary>
    [Theory, DatabaseProviders]
    public async Task RunToFileAsync_StoringFails_RunFailedAndNoResultFileLeft(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var codes = PenaltyFile.Codes(300, seed: 23).Distinct().Take(200).ToList();
        await CheckData.EnterprisesAsync(p, codes.Select((c, i) => (c, CheckData.Name(i))).ToList());
        var runner = p.Get<CheckRunner>();
        var rows = codes.Select((c, i) => new CheckInputRow(i + 1, c, null)).ToList();
        var run = await runner.CreateBatchAsync("employment-subsidy", null, "broken.csv", "sha", null, rows.Count, CheckMatchOptions.Default, Clerk, CheckDate);
        await using (var conn = await p.Db.OpenAsync())
        {
            await conn.ExecuteAsync("ALTER TABLE check_results RENAME TO check_results_elsewhere");
        }
        var file = Path.Combine(Path.GetTempPath(), $"xinyong-broken-{Guid.NewGuid():N}.csv");

        await Should.ThrowAsync<Exception>(() => runner.RunToFileAsync(run.Id, rows, file));

        File.Exists(file).ShouldBeFalse();
        (await p.Get<CheckRuns>().GetAsync(run.Id))!.Status.ShouldBe(CheckRunStatus.Failed);
    }

    [Theory, DatabaseProviders]
    public async Task MatchAsync_LegacyCodesNamesAndUnknowns_ReportedHowMatchedNeverPassedBlind(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var codes = PenaltyFile.Codes(4, seed: 11);
        var ids = await CheckData.EnterprisesAsync(p, [(codes[0], "昆山恒达机械制造有限公司"), (codes[1], "昆山市瑞丰精密模具有限公司"), (codes[2], "苏州华新电子科技有限公司"), (codes[3], "苏州华新电子科技有限公司")]);
        await using (var conn = await p.Db.OpenAsync())
        {
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('reg', '320583000123458', @id, 'test')", new { id = ids[codes[1]] });
            // Known only by its organisation code: found by a credit code whose positions 9-17 are that code.
            await conn.ExecuteAsync("UPDATE subjects SET uscc = NULL WHERE id = @id", new { id = ids[codes[0]] });
            await conn.ExecuteAsync("DELETE FROM subject_identifiers WHERE subject_id = @id", new { id = ids[codes[0]] });
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('org', @org, @id, 'test')", new { org = codes[0][8..17], id = ids[codes[0]] });
        }
        var rows = new List<CheckInputRow>
        {
            new(1, codes[0], null),
            new(2, "320583000123458", null),
            new(3, null, "昆山市瑞丰精密模具有限责任公司"),
            new(4, null, "苏州华新电子科技有限公司"),
            new(5, null, "上海完全不同贸易有限公司"),
            new(6, codes[1], "苏州华新电子科技有限公司"),
            new(7, "91320583MA1XXXXX00", null),
            new(8, null, null),
        };
        var matches = await p.Get<SubjectMatcher>().MatchAsync(rows, CheckMatchOptions.Default);

        (matches[0].SubjectId, matches[0].Method, matches[0].Scheme).ShouldBe((ids[codes[0]], MatchMethods.LegacyCode, "uscc_org"));
        (matches[1].SubjectId, matches[1].Method, matches[1].Scheme).ShouldBe((ids[codes[1]], MatchMethods.LegacyCode, "reg"));
        (matches[2].SubjectId, matches[2].Method).ShouldBe((ids[codes[1]], MatchMethods.Name));
        matches[2].Score!.Value.ShouldBeGreaterThanOrEqualTo(0.9);
        matches[2].NoteZh.ShouldNotBeNullOrWhiteSpace();
        matches[3].Unresolved.ShouldBe(CheckOutcome.Ambiguous);
        matches[3].SubjectId.ShouldBeNull();
        matches[4].Unresolved.ShouldBe(CheckOutcome.NotFound);
        matches[5].SubjectId.ShouldBe(ids[codes[1]]);
        matches[5].Flag!.RuleId.ShouldBe("input-name-mismatch");
        matches[6].Unresolved.ShouldBe(CheckOutcome.NotFound);
        matches[7].Unresolved.ShouldBe(CheckOutcome.NotFound);

        // A stricter accept score turns the suffix variant into not found.
        var strict = await p.Get<SubjectMatcher>().MatchAsync([rows[2]], CheckMatchOptions.Default with { AcceptScore = 0.995 });
        strict[0].Unresolved.ShouldBe(CheckOutcome.NotFound);
        strict[0].NoteZh!.ShouldContain("低于接受分");
    }

    /// <summary>A batch large enough to be looked up in parallel ranges (SQLite) matches exactly as a small one.</summary>
    [Theory, DatabaseProviders]
    public async Task MatchAsync_LargeBatch_MatchesCodesLegacyCodesAndUnknownsInEveryRange(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var codes = PenaltyFile.Codes(6_000, seed: 12).Distinct().ToList();
        var known = new[] { codes[0], codes[2_000], codes[3_500], codes[5_900] };
        var ids = await CheckData.EnterprisesAsync(p, known.Select((c, i) => (c, CheckData.Name(i))).ToList());
        await using (var conn = await p.Db.OpenAsync())
        {
            // The second enterprise is known only by its organisation code; the third also by a registration number.
            var onlyOrg = ids[known[1]];
            await conn.ExecuteAsync("UPDATE subjects SET uscc = NULL WHERE id = @onlyOrg", new { onlyOrg });
            await conn.ExecuteAsync("DELETE FROM subject_identifiers WHERE subject_id = @onlyOrg", new { onlyOrg });
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('org', @org, @onlyOrg, 'test')",
                new { org = known[1][8..17], onlyOrg });
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('reg', '320583000123458', @id, 'test')",
                new { id = ids[known[2]] });
        }
        var rows = codes.Select((c, i) => new CheckInputRow(i + 1, c, null)).Append(new CheckInputRow(codes.Count + 1, "320583000123458", null)).ToList();

        var matches = await p.Get<SubjectMatcher>().MatchAsync(rows, CheckMatchOptions.Default);

        matches.Count.ShouldBe(rows.Count);
        matches.Select(m => m.Row).ShouldBe(rows.Select(r => r.Row));
        (matches[0].SubjectId, matches[0].Method).ShouldBe((ids[known[0]], MatchMethods.Code));
        (matches[2_000].SubjectId, matches[2_000].Method, matches[2_000].Scheme).ShouldBe((ids[known[1]], MatchMethods.LegacyCode, "uscc_org"));
        (matches[3_500].SubjectId, matches[3_500].Method).ShouldBe((ids[known[2]], MatchMethods.Code));
        (matches[5_900].SubjectId, matches[5_900].Method).ShouldBe((ids[known[3]], MatchMethods.Code));
        (matches[^1].SubjectId, matches[^1].Method, matches[^1].Scheme).ShouldBe((ids[known[2]], MatchMethods.LegacyCode, "reg"));
        matches.Count(m => m.SubjectId is not null).ShouldBe(5);
        matches.Where(m => m.SubjectId is null).ShouldAllBe(m => m.Unresolved == CheckOutcome.NotFound);
    }

    [Theory, DatabaseProviders]
    public async Task MatchAsync_ExactNameBesideFormVariant_MatchesTheExactOneWhileTheBareCoreStaysAmbiguous(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var codes = PenaltyFile.Codes(2, seed: 17);
        var ids = await CheckData.EnterprisesAsync(p, [(codes[0], "苏州恒通电子科技有限公司"), (codes[1], "苏州恒通电子科技有限责任公司")]);
        var matches = await p.Get<SubjectMatcher>().MatchAsync(
            [new(1, null, "苏州恒通电子科技有限公司"), new(2, null, "苏州恒通电子科技有限责任公司"), new(3, null, "苏州恒通电子科技")],
            CheckMatchOptions.Default);

        (matches[0].SubjectId, matches[0].Method, matches[0].Score).ShouldBe((ids[codes[0]], MatchMethods.Name, 1.0));
        matches[1].SubjectId.ShouldBe(ids[codes[1]]);
        // Without a company form both are equally close: the clerk must add the code.
        matches[2].Unresolved.ShouldBe(CheckOutcome.Ambiguous);
        matches[2].SubjectId.ShouldBeNull();
    }

    [Theory, DatabaseProviders]
    public async Task CheckOneAsync_UnderObjection_NeedsReviewAndRerunGivesSameAnswer(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var code = PenaltyFile.Codes(1, seed: 5)[0];
        var ids = await CheckData.EnterprisesAsync(p, [(code, "昆山鑫通物流有限公司")]);
        var record = await CheckData.PenaltyAsync(p, ids[code], CheckDate.AddMonths(-2), "serious");

        var (run, result) = await p.Get<CheckRunner>().CheckOneAsync("employment-subsidy", code, null, "稳岗返还复核", Clerk, checkDate: CheckDate);
        result.Outcome.ShouldBe(CheckOutcome.Fail);
        run.Mode.ShouldBe("single");

        var objections = new FixedObjections([record]);
        var runner = new CheckRunner(p.Db, p.Get<CheckPurposeStore>(), p.Get<CheckRuns>(), p.Get<SubjectMatcher>(),
            new CheckFacts(p.Db, p.Get<ListEntries>(), objections), p.Get<CheckEvaluator>(), p.Get<AuditLog>(), p.Clock);
        var (_, underObjection) = await runner.CheckOneAsync("employment-subsidy", code, null, "稳岗返还复核", Clerk, checkDate: CheckDate);
        underObjection.Outcome.ShouldBe(CheckOutcome.NeedsReview);
        underObjection.Reasons.Single().UnderObjection.ShouldBeTrue();

        var rerun = await p.Get<CheckRunner>().RerunAsync(run.Id, Clerk);
        rerun.SameDataVersion.ShouldBeTrue();
        rerun.ChangedRows.ShouldBe(0);
        rerun.Rerun.RerunOf.ShouldBe(run.Id);

        await CheckData.PenaltyAsync(p, ids[code], CheckDate.AddMonths(-1), "serious");
        var after = await p.Get<CheckRunner>().RerunAsync(run.Id, Clerk);
        after.SameDataVersion.ShouldBeFalse();
        after.ChangedRowNumbers.ShouldBe([1]);
    }

    [Theory, DatabaseProviders]
    public async Task SaveAsync_EditedPurpose_NewVersionUsedByNextRunOldVersionKept(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var purposes = p.Get<CheckPurposeStore>();
        var v1 = (await purposes.CurrentAsync("employment-subsidy"))!;
        var edited = v1.Purpose.Definition.Replace("\"withinMonths\":12", "\"withinMonths\":24", StringComparison.Ordinal);
        edited.ShouldNotBe(v1.Purpose.Definition);
        var v2 = await purposes.SaveAsync(edited, "延长至24个月", Clerk);
        v2.Purpose.Version.ShouldBe(2);
        (await purposes.SaveAsync(edited, "again", Clerk)).Purpose.Version.ShouldBe(2);
        (await purposes.GetAsync("employment-subsidy", 1))!.Purpose.Hash.ShouldBe(v1.Purpose.Hash);
        await Should.ThrowAsync<CheckPurposeException>(() => purposes.SaveAsync(edited.Replace("\"black\"", "\"grey\"", StringComparison.Ordinal), null, Clerk));

        var code = PenaltyFile.Codes(1, seed: 9)[0];
        var ids = await CheckData.EnterprisesAsync(p, [(code, "昆山立博电子有限公司")]);
        await CheckData.PenaltyAsync(p, ids[code], CheckDate.AddMonths(-18), "serious");
        var (run, result) = await p.Get<CheckRunner>().CheckOneAsync("employment-subsidy", code, null, null, Clerk, checkDate: CheckDate);
        result.Outcome.ShouldBe(CheckOutcome.Fail);
        run.PurposeVersion.ShouldBe(2);
        (await p.Get<AuditLog>().RecentAsync()).ShouldContain(a => a.Action == "check-purpose.save" && a.EntityId == "employment-subsidy@2");
    }

    private static ListDecision Decision(string type, long subject, long department, string grounds, string? evidence, string? basis, string number, DateOnly decided,
        DateOnly? ListedUntil = null) =>
        new(type, subject, department, grounds, evidence, basis ?? ListTypeCatalogue.LoadDefault().Latest(type)!.LegalBasisZh, number, decided, null, ListedUntil);

    private sealed class FixedObjections(IReadOnlyCollection<long> records) : ICheckObjections
    {
        public Task<IReadOnlySet<long>> ForRecordsAsync(IReadOnlyCollection<long> recordIds) => Task.FromResult<IReadOnlySet<long>>(recordIds.Intersect(records).ToHashSet());

        public Task<IReadOnlySet<long>> ForListEntriesAsync(IReadOnlyCollection<long> listEntryIds) => Task.FromResult<IReadOnlySet<long>>(new HashSet<long>());
    }

    private sealed class SyncProgress(List<CheckProgress> into) : IProgress<CheckProgress>
    {
        public void Report(CheckProgress value) => into.Add(value);
    }
}
