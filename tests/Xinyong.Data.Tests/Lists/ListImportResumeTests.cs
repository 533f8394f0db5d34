using System.Text;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Lists;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Lists;

/// <summary>A bulk designation file interrupted mid-way (the process dies) and sent again: resumed, nothing twice, every row accounted for.</summary>
public sealed class ListImportResumeTests
{
    /// <summary>42 rows: 40 valid defaulters, a row without legal basis at file row 5 (first batch) and one at row 35 (after the crash).</summary>
    private static byte[] CourtFile()
    {
        var f = DefaulterFile.Generate(40);
        f.Rows.Insert(3, ["被执行人甲", null, DefaulterFile.PersonId(900_001), "拒不履行", null, "(2026)苏0583执99001号", null, "2026-11-18"]);
        f.Rows.Insert(33, ["被执行人乙", null, DefaulterFile.PersonId(900_002), "拒不履行", null, "(2026)苏0583执99002号", null, "2026-11-18"]);
        return f.ToCsv(Encoding.UTF8);
    }

    private static ListImporter Importer(TestPlatform p, Action<long>? afterRow = null) =>
        new(p.Get<XinyongDatabase>(), p.Get<ListStore>(), p.Get<AuditLog>(), p.Clock) { BatchSize = 10, AfterRowRead = afterRow };

    [Theory, DatabaseProviders]
    public async Task Import_InterruptedMidFile_ResumesOnResend_WithoutDuplicates_AndCompletes(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var court = await ListStoreTests.OfficerAsync(p, "fy");
        var bytes = CourtFile();

        var crashing = Importer(p, n => { if (n == 25) throw new IOException("simulated crash after 25 rows"); });
        await Should.ThrowAsync<IOException>(() => crashing.ImportAsync(new MemoryStream(bytes), "法院推送.csv", "judgment-defaulter", 0, "cli", court));

        var interrupted = (await p.Get<ListImporter>().ListAsync(null)).Single();
        interrupted.Status.ShouldBe("processing");
        interrupted.RowsDone.ShouldBe(20); // two batches of ten committed; the third died with the process
        (interrupted.Created, interrupted.Rejected).ShouldBe((19L, 1L));
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entries")).ShouldBe(19);

        var resumed = await Importer(p).ImportAsync(new MemoryStream(bytes), "法院推送.csv", "judgment-defaulter", 0, "cli", court);

        resumed.Id.ShouldBe(interrupted.Id);
        resumed.Status.ShouldBe("completed");
        (resumed.RowsDone, resumed.RowsRead, resumed.Created, resumed.Unchanged, resumed.Rejected, resumed.SubjectsCreated)
            .ShouldBe((42L, 42L, 40L, 0L, 2L, 40L));
        (resumed.Created + resumed.Unchanged + resumed.Rejected).ShouldBe(resumed.RowsRead);
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_imports")).ShouldBe(1);
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entries")).ShouldBe(40);
        (await p.ScalarAsync("SELECT COUNT(DISTINCT business_key) FROM list_entries")).ShouldBe(40);
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entry_events")).ShouldBe(40);
        (await p.ScalarAsync("SELECT COUNT(*) FROM subject_identifiers")).ShouldBe(await p.ScalarAsync("SELECT COUNT(DISTINCT value) FROM subject_identifiers"));
        var rejects = await p.Get<ListImporter>().RejectsAsync(resumed.Id);
        rejects.Select(r => (r.RowNumber, r.ReasonCode)).ShouldBe([(5L, "legal-basis-required"), (35L, "legal-basis-required")]);
        rejects.ShouldAllBe(r => r.ReasonZh.Length > 0 && r.ReasonEn.Length > 0);

        // Completed, the same file sent once more is a new import that changes nothing.
        var again = await Importer(p).ImportAsync(new MemoryStream(bytes), "法院推送.csv", "judgment-defaulter", 0, "cli", court);
        again.Id.ShouldNotBe(resumed.Id);
        (again.Created, again.Unchanged, again.Rejected).ShouldBe((0L, 40L, 2L));
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entries")).ShouldBe(40);
    }

    [Fact]
    public async Task Import_InterruptedImportOfAnotherFile_IsNotResumedByADifferentFile()
    {
        await using var p = await TestPlatform.CreateAsync("sqlite");
        var court = await ListStoreTests.OfficerAsync(p, "fy");
        var crashing = Importer(p, n => { if (n == 15) throw new IOException("simulated crash"); });
        await Should.ThrowAsync<IOException>(() => crashing.ImportAsync(new MemoryStream(CourtFile()), "a.csv", "judgment-defaulter", 0, "cli", court));

        var otherFile = DefaulterFile.Generate(5, seed: 7);
        foreach (var r in otherFile.Rows) r[5] = r[5]!.Replace("执1", "执8", StringComparison.Ordinal); // other case numbers
        var other = otherFile.ToCsv(Encoding.UTF8);
        var done = await Importer(p).ImportAsync(new MemoryStream(other), "b.csv", "judgment-defaulter", 0, "cli", court);

        done.Status.ShouldBe("completed");
        (done.RowsRead, done.Created).ShouldBe((5L, 5L));
        (await p.Get<ListImporter>().ListAsync(null)).Select(i => i.Status).ShouldBe(["completed", "processing"]);
    }
}
