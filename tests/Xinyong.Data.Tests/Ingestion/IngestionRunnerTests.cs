using System.Text;
using Dapper;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Subjects;
using Xinyong.Data.Tests.Infrastructure;
using static Xinyong.Data.Tests.Ingestion.IngestTesting;

namespace Xinyong.Data.Tests.Ingestion;

public sealed class IngestionRunnerTests
{
    [Theory, DatabaseProviders]
    public async Task IngestFile_ValidRows_StoresRecordsWithProvenanceAndCreatesSubjects(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "昆市监处罚〔2026〕1号"))
            .Add(PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "昆市监处罚〔2026〕2号"))
            .Add(PenaltyFile.Row("昆山乙电子科技有限公司", Codes[1], "昆市监处罚〔2026〕3号"));

        var s = await IngestAsync(p, dept, file.WriteCsv(dir.Path));

        s.Status.ShouldBe(SubmissionStatus.Completed);
        (s.Read, s.Accepted, s.Unchanged, s.NewVersions, s.Rejected, s.SubjectsCreated).ShouldBe((3L, 3L, 0L, 0L, 0L, 2L));
        var subject = (await p.Get<SubjectStore>().FindByCodeAsync(Codes[0]))!;
        subject.Name.ShouldBe("昆山市甲食品有限公司");
        var detail = (await p.Get<SubjectStore>().GetAsync(subject.Id))!;
        detail.Records.Count.ShouldBe(2);
        detail.Records.ShouldAllBe(r => r.SubmissionId == s.SubmissionId && r.Version == 1 && r.DepartmentId == dept.Id);
        detail.Records.Select(r => r.RowNumber).Order().ShouldBe([2L, 3L]);
        detail.Records.First().Amount.ShouldBe(0.5m);
        // The organisation code inside the credit code is registered, so a later row with only that code resolves.
        (await p.Get<SubjectStore>().FindByCodeAsync(Codes[0][8..17]))!.Id.ShouldBe(subject.Id);
        (await p.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action IN ('submission.create', 'submission.complete')")).ShouldBe(2);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_ValidRow_StoresTheRowAsJsonOfItsCells(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        // Quotes, a backslash and CJK punctuation: the stored JSON (written as UTF-8 bytes) must give them back unchanged.
        const string name = "昆山市\"甲\"食品（昆山）有限公司\\分店";
        await IngestAsync(p, dept, new PenaltyFile().Add(PenaltyFile.Row(name, Codes[0], "昆市监处罚〔2026〕7号")).WriteCsv(dir.Path));

        var id = await p.ScalarAsync("SELECT id FROM records");
        var stored = (await p.Get<SubjectStore>().HistoryAsync(id)).ShouldHaveSingleItem();
        using var json = System.Text.Json.JsonDocument.Parse(stored.Data);
        json.RootElement.GetProperty("CF_XDR_MC").GetString().ShouldBe(name);
        json.RootElement.GetProperty("CF_WSH").GetString().ShouldBe("昆市监处罚〔2026〕7号");
        json.RootElement.GetProperty("CF_YJ").GetString().ShouldBe("《中华人民共和国食品安全法》第一百二十四条");
        json.RootElement.GetProperty("CF_NR_FK").GetString().ShouldBe("0.5");
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_SameFileTwice_CreatesNoDuplicates(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "昆市监处罚〔2026〕1号"))
            .Add(PenaltyFile.Row("昆山乙电子科技有限公司", Codes[1], "昆市监处罚〔2026〕2号"));
        var path = file.WriteCsv(dir.Path);

        await IngestAsync(p, dept, path);
        var again = await IngestAsync(p, dept, path);

        (again.Accepted, again.Unchanged, again.NewVersions, again.SubjectsCreated).ShouldBe((0L, 2L, 0L, 0L));
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(2);
        (await p.ScalarAsync("SELECT COUNT(*) FROM subjects")).ShouldBe(2);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_OverlappingFileWithChangedRow_KeepsHistoryAsNewVersion(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        await IngestAsync(p, dept, new PenaltyFile()
            .Add(PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "昆市监处罚〔2026〕1号", fine: "0.5"))
            .Add(PenaltyFile.Row("昆山乙电子科技有限公司", Codes[1], "昆市监处罚〔2026〕2号"))
            .WriteCsv(dir.Path, name: "first.csv"));

        var second = await IngestAsync(p, dept, new PenaltyFile()
            .Add(PenaltyFile.Row("昆山乙电子科技有限公司", Codes[1], "昆市监处罚〔2026〕2号"))
            .Add(PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "昆市监处罚 〔2026〕1号", fine: "0.8"))
            .Add(PenaltyFile.Row("昆山丙物流有限公司", Codes[2], "昆市监处罚〔2026〕3号"))
            .WriteCsv(dir.Path, name: "second.csv"));

        (second.Accepted, second.Unchanged, second.NewVersions).ShouldBe((1L, 1L, 1L));
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(3);
        var id = await p.ScalarAsync("SELECT id FROM records WHERE amount > 0.6");
        var history = await p.Get<SubjectStore>().HistoryAsync(id);
        history.Select(h => h.Version).ShouldBe([1, 2]);
        history[0].Data.ShouldContain("0.5");
        history[0].SupersededAt.ShouldNotBeNull();
        history[1].Data.ShouldContain("0.8");
        history[1].SubmissionId.ShouldBe(second.SubmissionId);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_BadRows_AreRejectedWithRowFieldAndReason(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var badCode = Codes[3][..17] + (Codes[3][17] == 'A' ? 'B' : 'A');
        var file = new PenaltyFile()
            .Add(PenaltyFile.Row("正确公司", Codes[0], "文号1"))
            .Add(PenaltyFile.Row("代码错误公司", badCode, "文号2"))
            .Add(PenaltyFile.Row("日期错误公司", Codes[1], "文号3", date: "2026-02-30"))
            .Add(PenaltyFile.Row("单位错误公司", Codes[2], "文号4", fine: "5000元"))
            .Add(PenaltyFile.Row("金额过大公司", Codes[4], "文号5", fine: "2000000"))
            .Add(PenaltyFile.Row("未来日期公司", Codes[5], "文号6", date: "2027-01-05"));
        var noName = PenaltyFile.Row("", Codes[6], "文号7");
        file.Add(noName);
        var fineMissing = PenaltyFile.Row("缺罚款公司", Codes[7], "文号8", fine: "");
        file.Add(fineMissing);

        var s = await IngestAsync(p, dept, file.WriteCsv(dir.Path));

        (s.Read, s.Accepted, s.Rejected).ShouldBe((8L, 1L, 7L));
        var rejects = (await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId)).ToDictionary(r => r.RowNumber);
        rejects[3].ShouldSatisfyAllConditions(r => r.Field.ShouldBe("CF_XDR_SHXYM"), r => r.ReasonCode.ShouldBe("bad_code"), r => r.ReasonZh.ShouldContain("校验"), r => r.Value.ShouldBe(badCode));
        rejects[4].ShouldSatisfyAllConditions(r => r.Field.ShouldBe("CF_JDRQ"), r => r.ReasonCode.ShouldBe("bad_date"), r => r.ReasonZh.ShouldContain("2026-02-30"));
        rejects[5].ShouldSatisfyAllConditions(r => r.Field.ShouldBe("CF_NR_FK"), r => r.ReasonCode.ShouldBe("wrong_unit"), r => r.ReasonZh.ShouldContain("万元"));
        rejects[6].ShouldSatisfyAllConditions(r => r.ReasonCode.ShouldBe("wrong_unit"), r => r.ReasonEn.ShouldContain("divide by 10,000"));
        rejects[7].ReasonCode.ShouldBe("future_date");
        rejects[8].ShouldSatisfyAllConditions(r => r.Field.ShouldBe("CF_XDR_MC"), r => r.ReasonCode.ShouldBe("required"));
        rejects[9].ShouldSatisfyAllConditions(r => r.Field.ShouldBe("CF_NR_FK"), r => r.ReasonCode.ShouldBe("required"), r => r.ReasonZh.ShouldContain("罚款"));
        rejects[3].Raw.ShouldContain("代码错误公司");

        using var xlsx = new MemoryStream();
        await RejectsExport.WriteXlsxAsync(p.Get<SubmissionStore>(), s.SubmissionId, xlsx);
        xlsx.Position = 0;
        using var reader = new Core.Ingestion.Sources.XlsxTableReader(xlsx);
        var rows = new List<string?[]>();
        while (reader.Read()) rows.Add([.. reader.Current]);
        rows.Count.ShouldBe(7);
        rows[0][0].ShouldBe("3");
        reader.Header.ShouldContain("CF_XDR_MC");
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_DuplicateRowsInFile_SecondIsRejectedNotStoredTwice(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var row = PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "文号1");
        var changed = PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "文号1", fine: "0.9");
        var s = await IngestAsync(p, dept, new PenaltyFile().Add(row).Add(row).Add(changed).WriteCsv(dir.Path));

        (s.Accepted, s.Rejected).ShouldBe((1L, 2L));
        var rejects = await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId);
        rejects.Select(r => r.ReasonCode).ShouldBe(["duplicate_in_file", "conflict_in_file"]);
        rejects[0].ReasonZh.ShouldContain("第 2 行");
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_DuplicateAcrossBatches_IsRejected(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var runner = NewRunner(p, batchSize: 2);
        var row = PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "文号1");
        var s = await IngestAsync(p, dept, new PenaltyFile().Add(row).Add(PenaltyFile.Row("乙", Codes[1], "文号2")).Add(row).WriteCsv(dir.Path), runner: runner);
        (s.Accepted, s.Rejected).ShouldBe((2L, 1L));
        (await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId)).Single().ReasonCode.ShouldBe("duplicate_in_file");
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_DuplicateAcrossChunksOfOneBatch_RejectedAndTheLaterChunksStored(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        // One batch of five chunks of two rows. On PostgreSQL the second chunk's copy fails on the repeated key and is
        // undone to its savepoint; the third chunk is looked up first, the fourth and fifth are copied again under a
        // savepoint that releases the one before in the same round trip.
        var runner = NewRunner(p, batchSize: 10, chunkRows: 2);
        var file = new PenaltyFile();
        foreach (var n in new[] { 1, 2, 3, 1, 4, 5, 6, 7, 8, 9 }) file.Add(PenaltyFile.Row("主体" + n, Codes[n], "文号" + n));

        var s = await IngestAsync(p, dept, file.WriteCsv(dir.Path), runner: runner);

        (s.Accepted, s.Rejected).ShouldBe((9L, 1L));
        (await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId)).Single().RowNumber.ShouldBe(5);
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(9);
    }

    [Fact]
    public async Task IngestFile_Sqlite_ManyBatches_WriteAheadLogStaysAtAFewBatches()
    {
        // The ingest connection does not checkpoint by itself (wal_autocheckpoint = 0); IngestionRunner.BackgroundCheckpoints
        // copies the log into the database beside the writer, so the log must still start again from its beginning
        // instead of growing with the file (without those checkpoints it grows with every batch, 1.0 → 2.8 MB here).
        var (p, dept) = await StartAsync("sqlite");
        await using var _ = p;
        using var dir = new TempDir();
        var file = new PenaltyFile();
        var codes = PenaltyFile.Codes(200, seed: 5);
        for (var i = 0; i < 400; i++) file.Add(PenaltyFile.Row($"企业{i}有限公司", codes[i % 200], $"昆市监处罚〔2026〕{i}号"));
        var wal = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(p.Db.Options.ConnectionString).DataSource + "-wal";
        var sizes = new List<long>();
        var runner = NewRunner(p, batchSize: 20, afterBatchCommitted: _ => sizes.Add(new FileInfo(wal).Length));

        var s = await IngestAsync(p, dept, file.WriteCsv(dir.Path), runner: runner);

        s.Accepted.ShouldBe(400);
        sizes.Count.ShouldBe(20);
        // Four batches' worth at most (plus slack for batches of different sizes), not twenty.
        sizes.Max().ShouldBeLessThan(sizes[3] * 3 / 2, $"log sizes after each batch: {string.Join(", ", sizes)}");
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(400);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_KilledMidImport_ResumesToSameDatabaseAsOneCleanRun(string provider)
    {
        using var dir = new TempDir();
        var file = new PenaltyFile();
        var codes = PenaltyFile.Codes(40, seed: 11);
        for (var i = 0; i < 40; i++) file.Add(PenaltyFile.Row($"企业{i}有限公司", codes[i % 25], $"文号{i}", fine: i % 7 == 0 ? "1000元" : "0.2"));
        var path = file.WriteCsv(dir.Path);

        async Task<(long Records, long Rejects, long Subjects, long Submissions, string Counts)> Snapshot(TestPlatform p)
        {
            await using var conn = await p.Db.OpenAsync();
            var counts = await conn.QuerySingleAsync<(long, long, long, long, long, long)>("SELECT rows_read, accepted, unchanged, new_versions, rejected, subjects_created FROM submissions");
            return (await p.ScalarAsync("SELECT COUNT(*) FROM records"), await p.ScalarAsync("SELECT COUNT(*) FROM rejected_rows"),
                await p.ScalarAsync("SELECT COUNT(*) FROM subjects"), await p.ScalarAsync("SELECT COUNT(*) FROM submissions"), counts.ToString());
        }

        var (clean, dept1) = await StartAsync(provider);
        await using (clean)
        {
            await IngestAsync(clean, dept1, path);
            var expected = await Snapshot(clean);

            var (crashed, dept) = await StartAsync(provider);
            await using var _ = crashed;
            var batches = 0;
            var dying = NewRunner(crashed, batchSize: 7,
                afterBatchCommitted: _ => { if (++batches == 3) throw new InvalidOperationException("simulated crash"); });
            await Should.ThrowAsync<InvalidOperationException>(() => IngestAsync(crashed, dept, path, runner: dying));
            (await crashed.ScalarAsync("SELECT rows_done FROM submissions")).ShouldBe(21);

            var resumed = await IngestAsync(crashed, dept, path);
            resumed.Resumed.ShouldBeTrue();
            (await Snapshot(crashed)).ShouldBe(expected);
        }
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_LegacyCodeOnly_ResolvesToKnownSubjectOrIsRejected(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        await IngestAsync(p, dept, new PenaltyFile()
            .Add(PenaltyFile.Row("昆山市甲食品有限公司", Codes[0], "文号1"))
            .Add(PenaltyFile.Row("昆山乙电子科技有限公司", Codes[1], "文号2"))
            .WriteCsv(dir.Path, name: "a.csv"));

        var byOrg = PenaltyFile.Row("昆山市甲食品有限公司", null!, "文号3");
        byOrg["CF_XDR_ZZJG"] = Codes[0][8..17];
        var unknownOrg = PenaltyFile.Row("丁公司", null!, "文号4");
        unknownOrg["CF_XDR_ZZJG"] = PenaltyFile.Codes(1, seed: 99)[0][8..17];
        var s = await IngestAsync(p, dept, new PenaltyFile().Add(byOrg).Add(unknownOrg).WriteCsv(dir.Path, name: "b.csv"));

        (s.Accepted, s.Rejected, s.SubjectsCreated).ShouldBe((1L, 1L, 0L));
        var subject = (await p.Get<SubjectStore>().FindByCodeAsync(Codes[0]))!;
        (await p.Get<SubjectStore>().GetAsync(subject.Id))!.Records.Count.ShouldBe(2);
        var reject = (await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId)).Single();
        reject.ReasonCode.ShouldBe("unknown_subject");
        reject.ReasonZh.ShouldContain("统一社会信用代码");
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_LegacyCodesOfTwoSubjects_IsRejectedAsAmbiguous(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var a = PenaltyFile.Row("甲公司", Codes[0], "文号1");
        a["CF_XDR_GSZC"] = "110108000000016";
        await IngestAsync(p, dept, new PenaltyFile { Header = { "CF_XDR_GSZC" } }.Add(a).Add(PenaltyFile.Row("乙公司", Codes[1], "文号2")).WriteCsv(dir.Path, name: "a.csv"));

        var mixed = PenaltyFile.Row("甲公司", null!, "文号3");
        mixed["CF_XDR_GSZC"] = "110108000000016";
        mixed["CF_XDR_ZZJG"] = Codes[1][8..17];
        var s = await IngestAsync(p, dept, new PenaltyFile { Header = { "CF_XDR_GSZC" } }.Add(mixed).WriteCsv(dir.Path, name: "b.csv"));

        s.Rejected.ShouldBe(1);
        (await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId)).Single().ReasonCode.ShouldBe("ambiguous_subject");
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(2);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_NaturalPerson_IsResolvedByIdNumber(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var person = PenaltyFile.Row("张三", null!, "文号1");
        person["CF_XDR_LB"] = "自然人";
        person["CF_XDR_ZJLX"] = "身份证";
        person["CF_XDR_ZJHM"] = "11010519491231002X";
        var again = new Dictionary<string, string?>(person) { ["CF_WSH"] = "文号2" };
        var s = await IngestAsync(p, dept, new PenaltyFile().Add(person).Add(again).WriteCsv(dir.Path));

        (s.Accepted, s.SubjectsCreated).ShouldBe((2L, 1L));
        var subject = (await p.Get<SubjectStore>().FindByCodeAsync("11010519491231002X"))!;
        subject.Kind.ShouldBe("natural_person");
        subject.DivisionCode.ShouldBe("110105");
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_LateSubmission_IsCountedInWorkingDays(string provider)
    {
        // Received 2026-11-20 (Friday). 7 working days back is 2026-11-11; 2026-11-10 is 8 working days.
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var s = await IngestAsync(p, dept, new PenaltyFile()
            .Add(PenaltyFile.Row("甲", Codes[0], "文号1", date: "2026-11-11"))
            .Add(PenaltyFile.Row("乙", Codes[1], "文号2", date: "2026-11-10"))
            .WriteCsv(dir.Path));
        s.Late.ShouldBe(1);
        (await p.ScalarAsync("SELECT MAX(lag_working_days) FROM records")).ShouldBe(8);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_Gb18030WithChineseHeadingsAndOldFieldNames_ImportsUnchanged(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var csv = "决定书文号,行政相对人名称,CF_XDR_LB,统一社会信用代码,CF_FR,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_JG,CF_NR_FK,CF_JDRQ,CF_XZJG,CF_DFBM,自定义列\n"
                  + $"昆市监〔2026〕9号,昆山（中国）精密机械有限公司,法人及非法人组织,{Codes[0]},李四,无证经营,事实,依据,罚款,罚款一万元,1,2026/11/9,{PenaltyFile.Authority},320583,x\n";
        var path = Path.Combine(dir.Path, "gbk.csv");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        await File.WriteAllBytesAsync(path, Encoding.GetEncoding("GB18030").GetBytes(csv));

        var s = await IngestAsync(p, dept, path);

        (s.Accepted, s.Rejected).ShouldBe((1L, 0L));
        s.Issues.ShouldContain(i => i.Code == "unknown_columns" && i.MessageZh.Contains("自定义列"));
        s.Issues.ShouldContain(i => i.Code == "mapped_columns");
        var subject = (await p.Get<SubjectStore>().FindByCodeAsync(Codes[0]))!;
        subject.Name.ShouldBe("昆山（中国）精密机械有限公司");
        subject.LegalRepresentative.ShouldBe("李四");
        var record = (await p.Get<SubjectStore>().GetAsync(subject.Id))!.Records.Single();
        record.DecisionDate.ShouldBe(new DateOnly(2026, 11, 9));
        record.AuthorityName.ShouldBe(PenaltyFile.Authority);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_UnreadableFiles_FailWithClearReason(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var empty = Path.Combine(dir.Path, "empty.csv");
        await File.WriteAllBytesAsync(empty, []);
        var utf16 = Path.Combine(dir.Path, "utf16.csv");
        await File.WriteAllTextAsync(utf16, new PenaltyFile().Add(PenaltyFile.Row("甲", Codes[0], "1")).ToCsv(), Encoding.Unicode);
        var missing = new PenaltyFile();
        missing.Header.Remove("CF_WSH");
        missing.Header.Remove("CF_JDRQ");
        var missingPath = missing.Add(PenaltyFile.Row("甲", Codes[0], "1")).WriteCsv(dir.Path, name: "missing.csv");
        var headerOnly = Path.Combine(dir.Path, "header.csv");
        await File.WriteAllTextAsync(headerOnly, string.Join(',', PenaltyFile.StandardHeader) + "\n");
        var wrongType = new PenaltyFile().Add(PenaltyFile.Row("甲", Codes[0], "1")).WriteCsv(dir.Path, name: "wrongtype.csv");

        var e = await IngestAsync(p, dept, empty);
        e.Status.ShouldBe(SubmissionStatus.Failed);
        e.ErrorZh.ShouldNotBeNull().ShouldContain("空");
        var u = await IngestAsync(p, dept, utf16);
        u.Status.ShouldBe(SubmissionStatus.Failed);
        u.ErrorZh.ShouldNotBeNull().ShouldContain("编码");
        var m = await IngestAsync(p, dept, missingPath);
        m.Status.ShouldBe(SubmissionStatus.Failed);
        m.ErrorZh!.ShouldContain("CF_WSH（行政处罚决定书文号）");
        m.ErrorZh!.ShouldContain("CF_JDRQ");
        var h = await IngestAsync(p, dept, headerOnly);
        (h.Status, h.Read).ShouldBe((SubmissionStatus.Completed, 0L));
        var w = await IngestAsync(p, dept, wrongType, type: "licence");
        w.Status.ShouldBe(SubmissionStatus.Failed);
        w.ErrorEn.ShouldNotBeNull().ShouldContain("XK_");
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(0);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_XlsxAndJsonSources_ImportLikeCsv(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var file = new PenaltyFile().Add(PenaltyFile.Row("甲公司", Codes[0], "文号1")).Add(PenaltyFile.Row("乙公司", Codes[1], "文号2"));
        var xlsx = Path.Combine(dir.Path, "p.xlsx");
        await using (var fs = File.Create(xlsx))
        using (var w = new Core.Ingestion.Sources.XlsxTableWriter(fs, "sheet1", file.Header))
        {
            foreach (var r in file.Rows) w.WriteRow(file.Header.Select(h => r.GetValueOrDefault(h)).ToList());
        }
        var json = Path.Combine(dir.Path, "p.json");
        var third = PenaltyFile.Row("丙公司", Codes[2], "文号3");
        await File.WriteAllTextAsync(json, System.Text.Json.JsonSerializer.Serialize(new[] { third }));

        var x = await IngestAsync(p, dept, xlsx);
        var j = await IngestAsync(p, dept, json);

        (x.Accepted, x.Rejected).ShouldBe((2L, 0L));
        (j.Accepted, j.Rejected).ShouldBe((1L, 0L));
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(3);
    }

    [Theory, DatabaseProviders]
    public async Task IngestFile_LargeFile_StreamsInBatches(string provider)
    {
        var (p, dept) = await StartAsync(provider);
        await using var _ = p;
        using var dir = new TempDir();
        var summary = Core.Demo.DemoDataGenerator.Generate(new Core.Demo.DemoOptions(2000, 20000, Seed: 5, Until: new DateOnly(2026, 11, 19)), dir.Path);
        var penalties = summary.Files.Single(f => f.Contains("penalt", StringComparison.Ordinal));

        var runner = p.Get<IngestionRunner>();
        var s = await IngestAsync(p, dept, penalties, runner: runner);

        s.Status.ShouldBe(SubmissionStatus.Completed);
        s.Read.ShouldBe(summary.Penalties);
        // The writer's stages are timed for the benchmark: each stage a chunk goes through has a share of the run.
        var stages = runner.StageTimes.Snapshot().ToDictionary(t => t.Stage, t => t.Time);
        foreach (var stage in new[] { IngestStageTimes.IdentifierLookups, IngestStageTimes.Resolution, IngestStageTimes.SubjectWrites, IngestStageTimes.RecordInserts, IngestStageTimes.Commits })
        {
            stages.ShouldContainKey(stage);
            stages[stage].ShouldBeGreaterThan(TimeSpan.Zero);
        }
        s.Rejected.ShouldBe(0, string.Join("; ", (await p.Get<SubmissionStore>().RejectsAsync(s.SubmissionId, 0, 3)).Select(r => r.ReasonZh)));
        (await p.ScalarAsync("SELECT COUNT(*) FROM records")).ShouldBe(summary.Penalties);
    }
}
