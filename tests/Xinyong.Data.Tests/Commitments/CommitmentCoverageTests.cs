using Dapper;
using Xinyong.Core.Commitments;
using Xinyong.Data.Commitments;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Commitments;

public sealed class CommitmentCoverageTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    private static async Task BlackListAsync(TestPlatform p, long subject, long department, DateOnly from, DateOnly? until)
    {
        await using var conn = await p.Db.OpenAsync();
        await conn.ExecuteAsync("""
            INSERT INTO list_entries (list_type, type_version, kind, subject_id, department_id, status, legal_basis, grounds, evidence, proposed_on, listed_from,
              listed_until, created_by, created_at, updated_at)
            VALUES ('judgment-defaulter', @from, 'black', @subject, @department, 'published', 'basis', 'grounds', 'evidence', @from, @from, @until, 'test', @now, @now)
            """, new { subject, department, from, until, now = p.Clock.GetUtcNow().UtcDateTime });
    }

    [Theory, DatabaseProviders]
    public async Task ComputeAsync_CountsPublishedUnbreachedCommitmentsAgainstEachTargetsBase(string provider)
    {
        await using var p = await TestPlatform.CreateAsync(provider);
        var store = p.Get<CommitmentStore>();
        var market = await CommitmentStoreTests.OfficerAsync(p, "scjgj");
        var a = await CommitmentStoreTests.SubjectAsync(p, "甲公司");
        var b = await CommitmentStoreTests.SubjectAsync(p, "乙公司");
        var c = await CommitmentStoreTests.SubjectAsync(p, "丙个体户", kind: "individual_business");
        var d = await CommitmentStoreTests.SubjectAsync(p, "丁公司");
        var person = await CommitmentStoreTests.SubjectAsync(p, "张三", kind: "natural_person");

        await store.RegisterAsync(CommitmentStoreTests.Draft(a), market, publish: true);                           // counts
        await store.RegisterAsync(CommitmentStoreTests.Draft(b, "industry"), market, publish: true);               // counts (same target)
        await store.RegisterAsync(CommitmentStoreTests.Draft(c), market, publish: false);                          // registered only: no
        var broken = (await store.RegisterAsync(CommitmentStoreTests.Draft(d), market, publish: true)).Commitment;  // breached: no
        await store.SuspectBreachAsync(broken.Id, "x", market);
        await store.ConfirmBreachAsync(broken.Id, new BreachFinding("违诺1号", null, "依据", null), market);
        await store.RegisterAsync(CommitmentStoreTests.Draft(person), market, publish: true);                      // not a market entity
        await store.RegisterAsync(CommitmentStoreTests.Draft(a, "approval-replacing", "公共场所卫生许可"), market, publish: true);
        await store.RegisterAsync(CommitmentStoreTests.Draft(b, "approval-replacing", "不在清单内的事项"), market, publish: true);
        // Black list: a and b listed now (a has a repair commitment), c's listing ended before today.
        await BlackListAsync(p, a, market.DepartmentId!.Value, Today.AddMonths(-2), null);
        await BlackListAsync(p, b, market.DepartmentId!.Value, Today.AddMonths(-2), null);
        await BlackListAsync(p, c, market.DepartmentId!.Value, Today.AddMonths(-6), Today.AddMonths(-1));
        await store.RegisterAsync(CommitmentStoreTests.Draft(a, "repair"), market, publish: true);

        var report = await p.Get<CommitmentCoverage>().ComputeAsync(Today);

        report.MarketEntities.ShouldBe(4);
        var t = report.Targets.ToDictionary(x => x.Target.Id);
        t["market-coverage"].Covered.ShouldBe(2);
        t["market-coverage"].Base.ShouldBe(4);
        t["market-coverage"].Percent.ShouldBe(50.0m);
        t["market-coverage"].Met.ShouldBeFalse();
        t["approval-replacing-matters"].Covered.ShouldBe(1);
        t["approval-replacing-matters"].Base.ShouldBe(5);
        t["approval-replacing-matters"].MattersMissing.ShouldNotContain("公共场所卫生许可");
        t["repair-black-listed"].Covered.ShouldBe(1);
        t["repair-black-listed"].Base.ShouldBe(2);
        t["incomplete-application-matters"].Covered.ShouldBe(0);

        var voluntary = report.ByDepartment.Single(x => x.Kind == "voluntary");
        voluntary.DepartmentName.ShouldBe("市场监管局");
        voluntary.Commitments.ShouldBe(4);
        voluntary.Breached.ShouldBe(1);
        voluntary.Covered.ShouldBe(1);
        voluntary.Base.ShouldBe(4); // market entities that committed to the department (no records yet)
        report.ByKind.Single(k => k.Kind == "industry").Covered.ShouldBe(1);
    }
}
