using Dapper;
using Shouldly;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Subjects;
using Xinyong.Data.Tests.Infrastructure;
using static Xinyong.Data.Tests.Ingestion.IngestTesting;

namespace Xinyong.Data.Tests.Ingestion;

/// <summary>A row whose credit code the platform does not know yet, but whose legacy codes it does.</summary>
public sealed class LegacyCodeResolutionTests
{
    private const string RegistrationNumber = "110108000000016";

    [Theory, DatabaseProviders]
    public async Task IngestFile_NewCreditCodeWithLegacyCodeOfSubjectWithoutOne_SubjectGetsTheCreditCode(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        long subjectId;
        await using (var conn = await p.Db.OpenAsync())
        {
            // Registered before the code conversion: known by its registration number alone.
            subjectId = await conn.ExecuteScalarAsync<long>(
                "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES ('legal', NULL, '老字号商店', '老字号商店', @t, @t) RETURNING id",
                new { t = DateTime.UtcNow });
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('reg', @v, @subjectId, 'test')",
                new { v = RegistrationNumber, subjectId });
        }
        using var dir = new TempDir();
        var row = PenaltyFile.Row("老字号商店", Codes[3], "昆市监罚〔2026〕31号");
        row["CF_XDR_GSZC"] = RegistrationNumber;

        var s = await IngestAsync(p, dept, new PenaltyFile { Header = { "CF_XDR_GSZC" } }.Add(row).WriteCsv(dir.Path));

        (s.Accepted, s.Rejected, s.SubjectsCreated).ShouldBe((1L, 0L, 0L));
        (await p.ScalarAsync("SELECT subject_id FROM records")).ShouldBe(subjectId);
        (await p.Get<SubjectStore>().FindByCodeAsync(Codes[3]))!.Id.ShouldBe(subjectId);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_NewCreditCodeWithLegacyCodeOfSubjectWithAnother_RejectedAsConflict(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var first = PenaltyFile.Row("甲公司", Codes[0], "文号1");
        first["CF_XDR_GSZC"] = RegistrationNumber;
        await IngestAsync(p, dept, new PenaltyFile { Header = { "CF_XDR_GSZC" } }.Add(first).WriteCsv(dir.Path, name: "a.csv"));

        var other = PenaltyFile.Row("甲公司", Codes[4], "文号2");
        other["CF_XDR_GSZC"] = RegistrationNumber;
        var s = await IngestAsync(p, dept, new PenaltyFile { Header = { "CF_XDR_GSZC" } }.Add(other).WriteCsv(dir.Path, name: "b.csv"));

        (s.Accepted, s.Rejected, s.SubjectsCreated).ShouldBe((0L, 1L, 0L));
        var reject = (await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId)).Single();
        reject.ReasonCode.ShouldBe("code_conflict");
        reject.ReasonZh.ShouldContain(Codes[0]);
        (await p.Get<SubjectStore>().FindByCodeAsync(Codes[4])).ShouldBeNull();
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_KnownSubjectWithNewLegacyCode_CodeAttachedOnceAndResolvesLaterRows(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var second = Xinyong.Identifiers.RegistrationNumber.Create("32058300000012").Value;
        var file = new PenaltyFile { Header = { "CF_XDR_GSZC" } };
        // Chunks of two rows: the subject is created by the first chunk and cached; the second chunk names it twice
        // with a registration number it is not known by yet; the third names it by that number alone.
        file.Add(Row("甲公司", Codes[0], "文号1", RegistrationNumber)).Add(Row("乙公司", Codes[1], "文号2", null))
            .Add(Row("甲公司", Codes[0], "文号3", second)).Add(Row("甲公司", Codes[0], "文号4", second))
            .Add(Row("甲公司", Codes[0], "文号5", RegistrationNumber)).Add(Row("甲公司", "", "文号6", second));
        var runner = NewRunner(p, batchSize: 4, chunkRows: 2);

        var s = await IngestAsync(p, dept, file.WriteCsv(dir.Path), runner: runner);

        (s.Accepted, s.Rejected, s.SubjectsCreated).ShouldBe((6L, 0L, 2L));
        var subjectId = (await p.Get<SubjectStore>().FindByCodeAsync(Codes[0]))!.Id;
        (await p.Get<SubjectStore>().FindByCodeAsync(second))!.Id.ShouldBe(subjectId);
        (await p.ScalarAsync("SELECT COUNT(*) FROM subject_identifiers WHERE value = @second", new { second })).ShouldBe(1L);
        (await p.ScalarAsync("SELECT COUNT(*) FROM records WHERE subject_id = @subjectId", new { subjectId })).ShouldBe(5L);
    }

    private static Dictionary<string, string?> Row(string name, string uscc, string number, string? registration)
    {
        var row = PenaltyFile.Row(name, uscc, number);
        row["CF_XDR_GSZC"] = registration;
        return row;
    }
}
