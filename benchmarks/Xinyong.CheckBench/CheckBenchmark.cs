using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Checks;
using Xinyong.Core.Search;
using Xinyong.Data.Checks;
using Xinyong.Data.Database;
using Xinyong.Data.Platform;
using Xinyong.Data.Search;

namespace Xinyong.CheckBench;

internal static class CheckBenchmark
{
    public static async Task<int> RunAsync(CheckBenchOptions o)
    {
        Directory.CreateDirectory(o.WorkDir);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        string? copy = null;
        if (o.Copy)
        {
            copy = Path.Combine(Path.GetFullPath(o.WorkDir), "checkbench-copy.db");
            var sw = Stopwatch.StartNew();
            foreach (var suffix in new[] { "", "-wal" })
            {
                if (File.Exists(o.Db + suffix)) File.Copy(o.Db + suffix, copy + suffix, overwrite: true);
                else if (File.Exists(copy + suffix)) File.Delete(copy + suffix);
            }
            Program.Say($"copied {o.Db} to {copy} in {sw.Elapsed.TotalSeconds:F1} s");
            o = o with { Db = copy };
        }
        try
        {
            return await WithServicesAsync(o, cts.Token);
        }
        finally
        {
            if (copy is not null)
            {
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(copy + suffix);
            }
        }
    }

    private static async Task<int> WithServicesAsync(CheckBenchOptions o, CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = o.ProviderName,
            ["Database:ConnectionString"] = o.ConnectionString,
        }).Build();
        await using var services = new ServiceCollection().AddXinyongData(configuration).BuildServiceProvider();
        var db = services.GetRequiredService<XinyongDatabase>();
        // No PlatformSetup here: the seeded database is used as it is, never migrated by the benchmark.
        await RequireSchemaAsync(db);

        var pending = Footprint.PendingFile(o.WorkDir, o.Db);
        if (await Footprint.LoadAsync(pending) is { } left)
        {
            Program.Say($"an earlier run was interrupted: {await left.RestoreAsync(db)}");
            File.Delete(pending);
        }
        if (o.CleanupOnly) return 0;

        var footprint = await Footprint.TakeAsync(db);
        await footprint.SaveAsync(pending);
        try
        {
            return await MeasureAsync(services, db, o, ct);
        }
        finally
        {
            Program.Say($"cleanup: {await footprint.RestoreAsync(db)}; table counts equal to before the benchmark");
            File.Delete(pending);
        }
    }

    private static async Task<int> MeasureAsync(ServiceProvider services, XinyongDatabase db, CheckBenchOptions o, CancellationToken ct)
    {
        var report = new Report(o);
        await report.DescribeDatabaseAsync(db);
        Program.Say($"{o.ProviderName}: {report.Subjects:N0} subjects, {report.Records:N0} records; check date {o.CheckDate:yyyy-MM-dd}");
        var purpose = (await services.GetRequiredService<CheckPurposeStore>().CurrentAsync(BatchPath.Purpose, ct))?.Purpose
                      ?? throw new InvalidOperationException($"No check purpose {BatchPath.Purpose}.");
        var ok = true;

        var sw = Stopwatch.StartNew();
        var codeCase = await CodeScenario.PrepareAsync(services, o, purpose);
        var input = Path.Combine(o.WorkDir, $"codes-{o.ProviderName}.csv");
        await CodeScenario.WriteCsvAsync(input, codeCase.Codes, []);
        Program.Say($"picked {codeCase.Codes.Count:N0} enterprises ({codeCase.Failing.Count} must fail: {codeCase.Listed} black-listed now, " +
                    $"{codeCase.Failing.Count - codeCase.Listed} with a serious penalty; {codeCase.DirtyExcluded:N0} enterprises with serious records left out) in {sw.Elapsed.TotalSeconds:F1} s -> {input}");

        if (o.Probe)
        {
            await Probe.RunAsync(services, codeCase.Codes);
            return 0;
        }

        // JIT and connection pool warm-up on a few rows (a web host is warm; the first CLI run pays this once).
        var warm = Path.Combine(o.WorkDir, $"warmup-{o.ProviderName}.csv");
        await CodeScenario.WriteCsvAsync(warm, codeCase.Codes.Take(200).ToList(), []);
        await BatchPath.RunAsync(services, warm, Path.ChangeExtension(warm, ".result.csv"), "checkbench warm-up", o.CheckDate, ct);

        // Batch and naive in turns: this machine's speed drifts by a third within minutes, so each ratio compares a pair run
        // back to back, and the pair with the median ratio is the one reported.
        var pairs = new List<(Timing Batch, Timing? Naive)>();
        bool batchOk = true, naiveOk = true;
        for (var k = 1; k <= o.Repeat; k++)
        {
            await Prewarm.RunAsync(db);
            Program.Say($"batch path ({k} of {o.Repeat}) ...");
            var batch = await BatchPath.RunAsync(services, input, Path.Combine(o.WorkDir, $"codes-{o.ProviderName}.result.csv"), "checkbench 稳岗返还", o.CheckDate, ct);
            Program.Say($"batch: {batch.Total:F2} s end to end");
            var problems = Verify.Codes(codeCase, batch.Results);
            ok &= Loud("batch by code", problems);
            batchOk &= problems.Count == 0;
            report.Batch(batch, codeCase, batchOk);

            if (o.Xlsx && k == 1)
            {
                var x = Stopwatch.StartNew();
                await CheckResultFile.WriteAsync(batch.Results, Path.Combine(o.WorkDir, $"codes-{o.ProviderName}.result.xlsx"), ct);
                report.XlsxSeconds = x.Elapsed.TotalSeconds;
            }

            Timing? naive = null;
            if (o.Naive)
            {
                await Prewarm.RunAsync(db);
                Program.Say("naive way (one match and one facts call per subject) ...");
                naive = await NaivePath.RunAsync(services, input, Path.Combine(o.WorkDir, $"codes-{o.ProviderName}.naive.csv"), purpose, o.CheckDate, ct);
                Program.Say($"naive: {naive.Total:F2} s end to end, {naive.Total / batch.Total:F1}x the batch");
                var differ = Verify.Same(batch.Results, naive.Results);
                ok &= Loud("naive way gives the same answers as the batch", differ);
                naiveOk &= differ.Count == 0;
                report.Naive(naive, naiveOk);
            }
            pairs.Add((batch, naive));
        }
        report.Pairs(pairs);

        if (o.Names > 0)
        {
            sw.Restart();
            var names = await NameScenario.PrepareAsync(db, o);
            var nameInput = Path.Combine(o.WorkDir, $"names-{o.ProviderName}.csv");
            await CodeScenario.WriteCsvAsync(nameInput, [], names.Select(n => (string?)n.Given).ToList());
            Program.Say($"{names.Count:N0} names in {sw.Elapsed.TotalSeconds:F1} s, e.g. {NameScenario.Describe(names)}");
            sw.Restart();
            await services.GetRequiredService<SubjectSearchIndex>().EnsureLoadedAsync(ct);
            var indexLoad = sw.Elapsed.TotalSeconds;
            Program.Say($"name index loaded in {indexLoad:F1} s");
            var byName = await BatchPath.RunAsync(services, nameInput, Path.Combine(o.WorkDir, $"names-{o.ProviderName}.result.csv"), "checkbench names", o.CheckDate, ct);
            Program.Say($"by name: {byName.Total:F2} s end to end");
            // Outside the timed path: for rows not found, was the right subject the index's first candidate (a threshold question)?
            var index = services.GetRequiredService<SubjectSearchIndex>().Current;
            bool NearestRight(int i) => index.Search(MatchKey.Parse(names[i].Given), 0, 1).Hits is [var top, ..] && top.SubjectId == names[i].SubjectId;
            report.Names(byName, names, Verify.Names(names, byName.Results, NearestRight), indexLoad);
        }

        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (o.Out is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, markdown);
            Program.Say($"table written to {path}");
        }
        return ok ? 0 : 1;
    }

    private static bool Loud(string what, List<string> problems)
    {
        if (problems.Count == 0)
        {
            Program.Say($"VERIFIED: {what}");
            return true;
        }
        Console.Error.WriteLine();
        Console.Error.WriteLine(new string('!', 100));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VERIFICATION FAILED: {what}: {problems.Count:N0} problems"));
        foreach (var p in problems.Take(20)) Console.Error.WriteLine("  " + p);
        Console.Error.WriteLine(new string('!', 100));
        Console.Error.WriteLine();
        return false;
    }

    private static async Task RequireSchemaAsync(XinyongDatabase db)
    {
        await using var conn = await db.OpenAsync();
        try
        {
            await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM check_runs WHERE id < 0");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException)
        {
            throw new ArgumentException("The database has no credit check tables (check_runs): seed it again with this build; the benchmark never migrates it.");
        }
    }
}
