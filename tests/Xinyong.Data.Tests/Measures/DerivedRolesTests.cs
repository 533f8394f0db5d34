using Xinyong.Core.Auditing;
using Xinyong.Core.Measures;
using Xinyong.Data.Auditing;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Measures;
using Xinyong.Data.Subjects;
using Xinyong.Data.Tests.Infrastructure;
using static Xinyong.Data.Tests.Measures.MeasureFixtures;

namespace Xinyong.Data.Tests.Measures;

/// <summary>
/// Measures reaching a person through the entity they represent, with the legal representative read from the penalty
/// records the departments sent (CF_FR_ZJHM), not reported through the roles API.
/// </summary>
public sealed class DerivedRolesTests
{
    private static readonly DateOnly Listed = new(2026, 10, 9);
    private const string OtherPersonId = "320583198001011238";

    /// <summary>Penalty rows from the market regulator naming each company's legal representative by ID number.</summary>
    private static async Task IngestAsync(TestPlatform p, TempDir dir, string file, params (string Company, string Uscc, string Number, string Date, string RepName, string RepId)[] rows)
    {
        var f = new PenaltyFile();
        f.Header.Add("CF_FR_ZJHM");
        foreach (var r in rows)
        {
            var row = PenaltyFile.Row(r.Company, r.Uscc, r.Number, r.Date);
            row["CF_FRDB"] = r.RepName;
            row["CF_FR_ZJHM"] = r.RepId;
            f.Add(row);
        }
        var dept = await SystemOfAsync(p, "scjgj");
        var summary = await p.Get<IngestionRunner>().IngestFileAsync(f.WriteCsv(dir.Path, name: file), file, dept.DepartmentId!.Value, "penalty", "test",
            new Actor(ActorKind.Cli, "tester", dept.DepartmentId));
        summary.Accepted.ShouldBe(rows.Length);
    }

    [Theory, DatabaseProviders]
    public async Task AskAsync_PersonNamedAsLegalRepresentativeInRecords_ReachedThroughTheListedCompany_UntilReplaced(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        using var dir = new TempDir();
        var listedCode = Code(11);
        var otherCode = Code(12);
        await IngestAsync(p, dir, "a.csv",
            ("昆山某某贸易有限公司", listedCode, "昆市监处罚〔2026〕301号", "2026-09-01", "张三丰", PersonId),
            ("昆山另一家贸易有限公司", otherCode, "昆市监处罚〔2026〕302号", "2026-09-02", "张三丰", PersonId));
        var person = await SubjectAsync(p, "张三丰", null, "natural_person", PersonId);
        var company = (await p.Get<SubjectStore>().FindByCodeAsync(listedCode))!.Id;
        var entry = await DefaulterAsync(p, company, "（2026）苏0583执501号", Listed);
        var jt = await SystemOfAsync(p, "jtysj");
        var czj = await SystemOfAsync(p, "czj");
        var queries = p.Get<MeasureQueries>();

        (await p.Get<SubjectRoleStore>().HeldByAsync(person, Listed)).ShouldBe([new SubjectRole(company, person, SubjectRoles.LegalRepresentative)]);
        var answer = await queries.AskAsync(new MeasureQuestion(jt.DepartmentId!.Value, "high-consumption", null, null, PersonId, null), jt);
        answer.SubjectId.ShouldBe(person);
        var basis = answer.Items.ShouldHaveSingleItem().Basis.ShouldHaveSingleItem();
        basis.EntryId.ShouldBe(entry);
        basis.ViaRole.ShouldBe(SubjectRoles.LegalRepresentative);
        basis.SubjectName.ShouldBe("昆山某某贸易有限公司");
        (await p.ScalarAsync("SELECT COUNT(*) FROM subject_roles")).ShouldBe(0); // nobody reported the role
        // A measure that does not extend to representatives does not reach the person.
        (await queries.AskAsync(new MeasureQuestion(czj.DepartmentId!.Value, "procurement", null, null, PersonId, null), czj)).Items.ShouldBeEmpty();

        // A later decision names a new representative: the person is no longer reached through the company.
        await IngestAsync(p, dir, "b.csv", ("昆山某某贸易有限公司", listedCode, "昆市监处罚〔2026〕399号", "2026-11-02", "李四", OtherPersonId));
        (await queries.AskAsync(new MeasureQuestion(jt.DepartmentId!.Value, "high-consumption", null, null, PersonId, null), jt)).Items.ShouldBeEmpty();
        (await p.Get<SubjectRoleStore>().HeldByAsync(person, Listed)).ShouldBeEmpty();
    }

    [Theory, DatabaseProviders]
    public async Task AskAsync_RepresentativeNotYetASubject_RegisteredFromTheRecord_OtherIdNumbersStillRefused(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        using var dir = new TempDir();
        var code = Code(21);
        await IngestAsync(p, dir, "a.csv", ("昆山某某建材有限公司", code, "昆市监处罚〔2026〕311号", "2026-09-01", "王建国", PersonId));
        var company = (await p.Get<SubjectStore>().FindByCodeAsync(code))!.Id;
        var entry = await DefaulterAsync(p, company, "（2026）苏0583执502号", Listed);
        var jt = await SystemOfAsync(p, "jtysj");
        var queries = p.Get<MeasureQueries>();

        var unrelated = await Should.ThrowAsync<SubjectNotResolvedException>(() =>
            queries.AskAsync(new MeasureQuestion(jt.DepartmentId!.Value, "high-consumption", null, null, OtherPersonId, null), jt));
        unrelated.Code.ShouldBe("subject-not-found");
        (await p.ScalarAsync("SELECT COUNT(*) FROM subjects WHERE kind = 'natural_person'")).ShouldBe(0);

        var answer = await queries.AskAsync(new MeasureQuestion(jt.DepartmentId!.Value, "high-consumption", null, null, PersonId, null), jt);
        answer.Items.ShouldHaveSingleItem().Basis.ShouldHaveSingleItem().EntryId.ShouldBe(entry);
        var person = (await p.Get<SubjectStore>().FindByCodeAsync(PersonId))!;
        person.Id.ShouldBe(answer.SubjectId);
        person.Kind.ShouldBe("natural_person");
        person.Name.ShouldBe("王建国");
        (await p.Get<AuditLog>().RecentAsync()).ShouldContain(a => a.Action == "subject.create" && a.EntityId == person.Id.ToString());

        // Asked again, the same subject answers: nothing is registered twice.
        (await queries.AskAsync(new MeasureQuestion(jt.DepartmentId!.Value, "high-consumption", null, null, PersonId, null), jt)).SubjectId.ShouldBe(person.Id);
        (await p.ScalarAsync("SELECT COUNT(*) FROM subjects WHERE kind = 'natural_person'")).ShouldBe(1);
    }
}
