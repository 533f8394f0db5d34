using System.Text;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Commitments;
using Xinyong.Data.Auditing;
using Xinyong.Data.Commitments;
using Xinyong.Data.Departments;
using Xinyong.Data.Publication;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Commitments;

public sealed class CommitmentStoreTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    internal static async Task<long> SubjectAsync(TestPlatform p, string name, string? uscc = null, string kind = "legal_person")
    {
        await using var conn = await p.Db.OpenAsync();
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES (@kind, @uscc, @name, @name, @now, @now) RETURNING id",
            new { kind, uscc, name, now = p.Clock.GetUtcNow().UtcDateTime });
        if (uscc is not null)
        {
            await conn.ExecuteAsync("INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('uscc', @uscc, @id, 'test')", new { uscc, id });
        }
        return id;
    }

    internal static async Task<Actor> OfficerAsync(TestPlatform p, string departmentCode)
    {
        var d = (await p.Get<DepartmentStore>().FindAsync(departmentCode))!;
        return new Actor(ActorKind.User, "officer-" + departmentCode, d.Id);
    }

    internal static CommitmentDraft Draft(long subject, string kind = "voluntary", string? matter = null, string? key = null) =>
        new(kind, subject, 0, "严格遵守食品安全法律法规，诚信经营，接受社会监督。", matter, Today, null, CommitmentChannels.Form, BusinessKey: key);

    private static BreachFinding Finding(string number = "昆市监违诺〔2026〕3号") =>
        new(number, "事后核查发现申请人不具备承诺的经营场所条件", "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）", null);

    [Theory, DatabaseProviders]
    public async Task RegisterPublishFulfil_EveryStepStoredAttributedAndAudited(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var officer = await OfficerAsync(p, "scjgj");
        var subject = await SubjectAsync(p, "昆山市某某食品有限公司");

        var (c, created) = await store.RegisterAsync(Draft(subject), officer, publish: false);
        created.ShouldBeTrue();
        c.Status.ShouldBe(CommitmentStatus.Registered);
        c.DepartmentId.ShouldBe(officer.DepartmentId!.Value);
        (await p.Get<PublicCommitments>().ForSubjectAsync(subject, Today)).ShouldBeEmpty();

        await store.PublishAsync(c.Id, officer);
        (await p.Get<PublicCommitments>().ForSubjectAsync(subject, Today)).Single().Status.ShouldBe(CommitmentStatus.Published);
        p.Clock.Advance(TimeSpan.FromDays(30));
        c = await store.FulfilAsync(c.Id, "承诺期内未发现违诺", officer);

        var stored = (await store.GetAsync(c.Id))!;
        stored.Status.ShouldBe(CommitmentStatus.Fulfilled);
        stored.FulfilledOn.ShouldBe(Today.AddDays(30));
        var history = await store.HistoryAsync(c.Id);
        history.Select(h => h.ToStatus).ShouldBe([CommitmentStatus.Registered, CommitmentStatus.Published, CommitmentStatus.Fulfilled]);
        history.ShouldAllBe(h => h.Actor == "user:officer-scjgj");
        var audit = (await p.Get<AuditLog>().RecentAsync()).Where(a => a.Entity == "commitment").Select(a => a.Action).ToList();
        audit.ShouldBe(["commitment.fulfilled", "commitment.published", "commitment.registered"]);
    }

    [Theory, DatabaseProviders]
    public async Task ConfirmBreach_BecomesAPublishedRecordWithLegalBasisAndRepairDate(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var officer = await OfficerAsync(p, "scjgj");
        var subject = await SubjectAsync(p, "昆山市某某餐饮有限公司", "91320583MA1K314J7X");
        var (c, _) = await store.RegisterAsync(Draft(subject, "approval-replacing", "食品经营许可（仅销售预包装食品）"), officer, publish: true);
        await store.SuspectBreachAsync(c.Id, "事后核查发现经营场所与承诺不符", officer);
        c = await store.ConfirmBreachAsync(c.Id, Finding(), officer);

        c.Status.ShouldBe(CommitmentStatus.BreachConfirmed);
        c.BreachGrade.ShouldBe("serious"); // the kind's default for notify-and-commit
        var recordId = c.BreachRecordId.ShouldNotBeNull();
        (await store.GetAsync(c.Id))!.BreachRecordId.ShouldBe(recordId);
        (await p.ScalarAsync("SELECT COUNT(*) FROM records WHERE record_type = 'commitment-breach' AND subject_id = @subject", new { subject })).ShouldBe(1);
        (await p.ScalarAsync("SELECT COUNT(*) FROM submissions WHERE channel = 'commitment' AND status = 'completed'")).ShouldBe(1);

        var page = (await p.Get<PublicRecords>().SubjectAsync(subject, Today))!;
        var breach = page.CommitmentBreaches.Single();
        breach.RecordId.ShouldBe(recordId);
        breach.DecisionNumber.ShouldBe("昆市监违诺〔2026〕3号");
        breach.Basis!.ShouldContain("国办发〔2020〕42号");
        breach.Conduct.ShouldBe("食品经营许可（仅销售预包装食品）");
        breach.Grade.ShouldBe("serious");
        breach.RuleSet.ShouldBe("2026-repair");
        breach.RepairFrom.ShouldBe(Today.AddMonths(12));
        breach.PublishUntil.ShouldBe(Today.AddMonths(36));
        page.Penalties.ShouldBeEmpty();

        var shown = (await p.Get<PublicCommitments>().ForSubjectAsync(subject, Today)).Single();
        shown.Status.ShouldBe(CommitmentStatus.BreachConfirmed);
        shown.BreachRecordId.ShouldBe(recordId);
    }

    [Theory, DatabaseProviders]
    public async Task ConfirmBreach_Twice_IsRefusedAndWritesOneRecord(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var officer = await OfficerAsync(p, "scjgj");
        var subject = await SubjectAsync(p, "昆山市某某贸易有限公司");
        var (c, _) = await store.RegisterAsync(Draft(subject), officer, publish: true);
        await store.SuspectBreachAsync(c.Id, "销售过期食品", officer);
        await store.ConfirmBreachAsync(c.Id, Finding(), officer);

        var ex = await Should.ThrowAsync<CommitmentRefusedException>(() => store.ConfirmBreachAsync(c.Id, Finding("另一文号"), officer));
        ex.Refusal.Code.ShouldBe("breach-already-confirmed");
        (await Should.ThrowAsync<CommitmentRefusedException>(() => store.FulfilAsync(c.Id, null, officer))).Refusal.Code.ShouldBe("breach-confirmed");
        (await p.ScalarAsync("SELECT COUNT(*) FROM records WHERE record_type = 'commitment-breach'")).ShouldBe(1);
        (await store.HistoryAsync(c.Id)).Count.ShouldBe(4);
    }

    [Theory, DatabaseProviders]
    public async Task ConfirmBreach_SameDecisionNumberForAnotherCommitment_IsRefusedAndRolledBack(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var officer = await OfficerAsync(p, "scjgj");
        var subject = await SubjectAsync(p, "昆山市某某贸易有限公司");
        var first = (await store.RegisterAsync(Draft(subject), officer, publish: true)).Commitment;
        var second = (await store.RegisterAsync(Draft(subject), officer, publish: true)).Commitment;
        foreach (var c in new[] { first, second }) await store.SuspectBreachAsync(c.Id, "销售过期食品", officer);
        await store.ConfirmBreachAsync(first.Id, Finding(), officer);

        (await Should.ThrowAsync<CommitmentRefusedException>(() => store.ConfirmBreachAsync(second.Id, Finding(), officer))).Refusal.Code.ShouldBe("decision-number-used");
        (await store.GetAsync(second.Id))!.Status.ShouldBe(CommitmentStatus.BreachSuspected);
        (await p.ScalarAsync("SELECT COUNT(*) FROM submissions WHERE channel = 'commitment'")).ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task Steps_ByAnotherDepartment_AreRefused_CreditOfficeMayAct(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var market = await OfficerAsync(p, "scjgj");
        var tax = await OfficerAsync(p, "swj");
        var office = await OfficerAsync(p, "xyb");
        var subject = await SubjectAsync(p, "昆山市某某贸易有限公司");
        var (c, _) = await store.RegisterAsync(Draft(subject), market, publish: true);

        (await Should.ThrowAsync<CommitmentRefusedException>(() => store.SuspectBreachAsync(c.Id, "x", tax))).Refusal.Kind.ShouldBe(CommitmentRefusalKind.Forbidden);
        (await Should.ThrowAsync<CommitmentRefusedException>(() => store.RegisterAsync(Draft(subject) with { DepartmentId = market.DepartmentId!.Value }, tax, true)))
            .Refusal.Code.ShouldBe("not-your-department");
        (await store.FulfilAsync(c.Id, null, office)).Status.ShouldBe(CommitmentStatus.Fulfilled);
    }

    [Theory, DatabaseProviders]
    public async Task RegisterAsync_SameBusinessKeyAgain_ReturnsTheStoredCommitment(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var officer = await OfficerAsync(p, "scjgj");
        var subject = await SubjectAsync(p, "昆山市某某贸易有限公司");
        var (a, createdA) = await store.RegisterAsync(Draft(subject, key: "CN-2026-0001"), officer, publish: true);
        var (b, createdB) = await store.RegisterAsync(Draft(subject, key: "CN-2026-0001"), officer, publish: true);
        createdA.ShouldBeTrue();
        createdB.ShouldBeFalse();
        b.Id.ShouldBe(a.Id);
        (await p.ScalarAsync("SELECT COUNT(*) FROM commitments")).ShouldBe(1);
    }

    [Theory, DatabaseProviders]
    public async Task MakeOnlineAsync_ByCode_PublishedToTheCreditOfficeWithContactKeptPrivate(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var subject = await SubjectAsync(p, "昆山市某某科技有限公司", "91320583MA1K314J7X");

        var c = await store.MakeOnlineAsync("91320583MA1K314J7X", "voluntary", "守法诚信经营，不发布虚假广告。", "张三", "13800000000");
        c.Status.ShouldBe(CommitmentStatus.Published);
        c.Channel.ShouldBe(CommitmentChannels.Online);
        (await p.Get<DepartmentStore>().GetAsync(c.DepartmentId))!.IsCreditOffice.ShouldBeTrue();
        (await store.HistoryAsync(c.Id)).First().Actor.ShouldBe("system:website:91320583MA1K314J7X/张三");
        var shown = (await p.Get<PublicCommitments>().ForSubjectAsync(subject, Today)).Single();
        shown.Content.ShouldBe("守法诚信经营，不发布虚假广告。");
        typeof(PublicCommitment).GetProperties().Select(x => x.Name).ShouldNotContain("ContactPhone");

        (await Should.ThrowAsync<CommitmentRefusedException>(() => store.MakeOnlineAsync("91350100M000100Y43", "voluntary", "x", "张三", "1"))).Refusal.Code.ShouldBe("unknown-subject");
        (await Should.ThrowAsync<CommitmentRefusedException>(() => store.MakeOnlineAsync("91320583MA1K314J7X", "approval-replacing", "x", "张三", "1"))).Refusal.Code.ShouldBe("not-online");
    }

    [Theory, DatabaseProviders]
    public async Task ImportAsync_CsvWithGoodAndBadRows_RegistersTheGoodOnesAndIsIdempotent(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var officer = await OfficerAsync(p, "xzspj");
        await SubjectAsync(p, "昆山市甲公司", "91320583MA1K314J7X");
        await SubjectAsync(p, "昆山市乙公司", "91350100M000100Y43");
        var csv = """
            承诺编号,承诺类型,统一社会信用代码,承诺主体名称,承诺事项,承诺内容,承诺日期,履约期限
            CN-1,告知承诺,91320583MA1K314J7X,昆山市甲公司,公共场所卫生许可,承诺符合卫生许可条件,2026-11-18,2026-12-18
            CN-2,主动型,91350100M000100Y43,昆山市乙公司,,诚信经营,2026/11/19,
            CN-3,容缺受理,91350100M000100Y43,昆山市乙公司,,补齐材料,2026-11-19,
            CN-4,不存在的类型,91350100M000100Y43,昆山市乙公司,,x,2026-11-19,
            CN-5,主动型,91320583MA1K314J70,昆山市丙公司,,x,2026-11-19,
            CN-6,主动型,91350100M000100Y43,昆山市乙公司,,x,昨天,
            """;
        var import = p.Get<CommitmentImport>();
        var result = await import.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "commitments.csv", officer.DepartmentId!.Value, CommitmentChannels.File, officer, true);

        result.Read.ShouldBe(6);
        result.Created.ShouldBe(2);
        result.Errors.Select(e => (e.Row, e.Code)).ShouldBe([(4L, "matter-required"), (5L, "unknown-kind"), (6L, "unknown-subject"), (7L, "bad-date")]);
        (await p.ScalarAsync("SELECT COUNT(*) FROM commitments WHERE status = 'published' AND channel = 'file'")).ShouldBe(2);

        var again = await import.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "commitments.csv", officer.DepartmentId!.Value, CommitmentChannels.File, officer, true);
        again.Created.ShouldBe(0);
        again.Unchanged.ShouldBe(2);
        (await p.ScalarAsync("SELECT COUNT(*) FROM commitments")).ShouldBe(2);
    }

    [Theory, DatabaseProviders]
    public async Task ImportAsync_FileWithoutRequiredColumns_ReportsThemAndRegistersNothing(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var officer = await OfficerAsync(p, "xzspj");
        var result = await p.Get<CommitmentImport>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes("统一社会信用代码,承诺内容\n91320583MA1K314J7X,x\n")),
            "c.csv", officer.DepartmentId!.Value, CommitmentChannels.File, officer, true);
        result.Errors.Single().Code.ShouldBe("missing-columns");
        result.Errors.Single().Zh.ShouldContain("承诺类型");
        (await p.ScalarAsync("SELECT COUNT(*) FROM commitments")).ShouldBe(0);
    }
}
