using System.Text;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Core.Lists;
using Xinyong.Data.Lists;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Lists;

public sealed class ListImporterTests
{
    private static MemoryStream Bytes(byte[] b) => new(b);

    /// <summary>Valid defaulters plus three rows the court got wrong: no legal basis, a bad ID number, no code at all.</summary>
    private static DefaulterFile FileWithBadRows(int good)
    {
        var f = DefaulterFile.Generate(good);
        f.Rows.Add(["被执行人甲", null, DefaulterFile.PersonId(900_001), "拒不履行", null, "(2026)苏0583执99001号", null, "2026-11-18"]);
        var valid = DefaulterFile.PersonId(900_002);
        f.Rows.Add(["被执行人乙", null, valid[..17] + (valid[17] == '0' ? '1' : '0'), "拒不履行", DefaulterFile.Basis, "(2026)苏0583执99002号", null, "2026-11-18"]);
        f.Rows.Add(["被执行人丙", null, null, "拒不履行", DefaulterFile.Basis, "(2026)苏0583执99003号", null, "2026-11-18"]);
        return f;
    }

    [Theory, DatabaseProviders]
    public async Task Import_CourtCsvInGb18030_ListsEveryValidRow_KeepsRowErrors_AndResendingCreatesNothing(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var importer = p.Get<ListImporter>();
        var court = await ListStoreTests.OfficerAsync(p, "fy");
        var bytes = FileWithBadRows(30).ToCsv(TextEncodings.Gb18030);

        var first = await importer.ImportAsync(Bytes(bytes), "法院推送第一批.csv", "judgment-defaulter", 0, "cli", court);

        first.Status.ShouldBe("completed");
        (first.RowsRead, first.Created, first.Unchanged, first.Rejected, first.SubjectsCreated).ShouldBe((33L, 30L, 0L, 3L, 30L));
        var rejects = await importer.RejectsAsync(first.Id);
        rejects.Select(r => (r.RowNumber, r.Field, r.ReasonCode)).ShouldBe([(32L, "legalBasis", "legal-basis-required"), (33L, "idNumber", "bad_code"),
            (34L, "creditCode", "subject_code_missing")]);
        rejects[0].ReasonZh.ShouldContain("认定依据");
        rejects[0].ReasonEn.ShouldContain("legal basis");
        rejects[0].Raw.ShouldContain("被执行人甲");
        rejects[1].Value!.ShouldNotContain("19600101"); // ID numbers are masked in the reasons

        var again = await importer.ImportAsync(Bytes(bytes), "法院推送第一批.csv", "judgment-defaulter", 0, "cli", court);
        (again.Created, again.Unchanged, again.Rejected, again.SubjectsCreated).ShouldBe((0L, 30L, 3L, 0L));
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entries")).ShouldBe(30);
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entries WHERE status = 'published' AND created_by = 'user:officer-fy'")).ShouldBe(30);
        var active = await p.Get<ListEntries>().ActiveByTypeAsync("judgment-defaulter", p.Get<ListStore>().Today, 1, 100);
        active.Total.ShouldBe(30);
        active.Items.ShouldAllBe(e => e.LegalBasis == DefaulterFile.Basis);
    }

    [Fact]
    public async Task Import_XlsxAndUtf8Csv_GiveTheSameEntries()
    {
        await using var p = await TestPlatform.CreateAsync("sqlite");
        var importer = p.Get<ListImporter>();
        var court = await ListStoreTests.OfficerAsync(p, "fy");
        var file = DefaulterFile.Generate(12);

        var xlsx = await importer.ImportAsync(Bytes(file.ToXlsx()), "defaulters.xlsx", "judgment-defaulter", 0, "api", court);
        var csv = await importer.ImportAsync(Bytes(file.ToCsv(new UTF8Encoding(true))), "defaulters.csv", "judgment-defaulter", 0, "api", court);

        (xlsx.Created, xlsx.Rejected).ShouldBe((12L, 0L));
        (csv.Created, csv.Unchanged).ShouldBe((0L, 12L));
    }

    [Theory, DatabaseProviders]
    public async Task Import_Refusals_TypeRunOnThePlatform_OtherDepartment_MissingColumns(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var importer = p.Get<ListImporter>();
        var bytes = DefaulterFile.Generate(3).ToCsv(Encoding.UTF8);
        var market = await ListStoreTests.OfficerAsync(p, "scjgj");

        (await Should.ThrowAsync<ListRefusedException>(() => importer.ImportAsync(Bytes(bytes), "x.csv", "serious-dishonesty-market", 0, "cli", market)))
            .Refusal.Code.ShouldBe("procedure-required");
        (await Should.ThrowAsync<ListRefusedException>(() => importer.ImportAsync(Bytes(bytes), "x.csv", "judgment-defaulter", 0, "cli", market)))
            .Refusal.Code.ShouldBe("department-not-designating");

        var noCodes = Encoding.UTF8.GetBytes("名称,失信情形,认定依据,案号,发布时间\n甲,拒不履行,依据,(2026)执1号,2026-11-18\n");
        var failed = await importer.ImportAsync(Bytes(noCodes), "x.csv", "judgment-defaulter", 0, "cli", await ListStoreTests.OfficerAsync(p, "fy"));
        failed.Status.ShouldBe("failed");
        failed.ErrorZh!.ShouldContain("不按名称匹配");
        (await p.ScalarAsync("SELECT COUNT(*) FROM list_entries")).ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task Import_DefaulterWithARedEntry_SuspendsItAndTellsItsDepartment(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var file = DefaulterFile.Generate(3);
        var code = file.Rows[0][1]!;
        var subject = await ListStoreTests.SubjectAsync(p, file.Rows[0][0]!, uscc: code);
        await using (var conn = await p.Db.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(conn, "INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('uscc', @code, @subject, 'test')",
                new { code, subject });
        }
        var tax = await ListStoreTests.OfficerAsync(p, "swj");
        var (red, _) = await p.Get<ListStore>().RecordDecidedAsync(new ListDecision("a-grade-taxpayer", subject, 0, "2025年度纳税信用评价A级", null,
            "《纳税信用管理办法（试行）》", "苏税信〔2026〕3号", new DateOnly(2026, 4, 1)), tax);

        var result = await p.Get<ListImporter>().ImportAsync(Bytes(file.ToCsv(Encoding.UTF8)), "d.csv", "judgment-defaulter", 0, "cli",
            await ListStoreTests.OfficerAsync(p, "fy"));

        (result.Created, result.SubjectsCreated).ShouldBe((3L, 2L));
        (await p.Get<ListStore>().GetAsync(red.Id))!.Status.ShouldBe(ListStatus.Suspended);
        var notice = (await p.Get<ListStore>().NoticesAsync(departmentId: tax.DepartmentId)).Single();
        notice.Kind.ShouldBe(ListNoticeKinds.RedSuspended);
        notice.TextZh.ShouldContain("失信被执行人名单");
    }
}
