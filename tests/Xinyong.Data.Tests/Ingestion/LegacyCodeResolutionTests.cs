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
}
