using Xinyong.Core.Checks;
using Xinyong.Core.Lists;

namespace Xinyong.Core.Tests.Checks;

public sealed class CheckEvaluatorTests
{
    private static readonly ListTypeCatalogue Types = ListTypeCatalogue.LoadDefault();
    private static readonly CheckEvaluator Evaluator = new(Types);
    private static readonly DateOnly CheckDate = new(2020, 2, 26);

    private static CheckPurpose Shipped(string id) =>
        CheckPurposes.Parse(CheckPurposes.DefaultDefinitions().Single(d => d.Contains($"\"id\": \"{id}\"", StringComparison.Ordinal) || d.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal)), 1, Types);

    private static CheckRecord Penalty(long id, DateOnly decided, string? grade = "general", string? kinds = "罚款", decimal? amount = 1m,
        bool published = true, DateOnly? endedOn = null, bool objection = false) =>
        new(id, "penalty", decided, $"昆市监处罚〔2020〕{id}号", "昆山市市场监督管理局", amount, grade, kinds, published, decided, decided.AddMonths(36), endedOn, objection);

    private static CheckListEntry Entry(long id, string type, bool objection = false) =>
        new(id, type, Types.Latest(type)!.Kind.ToCode(), $"决定{id}", new DateOnly(2019, 5, 1), null, objection);

    [Fact]
    public void Parse_ShippedPurposes_AllValidWithStableHashes()
    {
        var all = CheckPurposes.DefaultDefinitions().Select(d => CheckPurposes.Parse(d, 1, Types)).ToList();
        all.Select(p => p.Id).ShouldBe(["employment-subsidy", "government-procurement", "award-review"], ignoreOrder: true);
        foreach (var p in all)
        {
            CheckPurposes.Parse(p.Definition, 1, Types).Hash.ShouldBe(p.Hash);
            p.RuleVersion.ShouldStartWith(p.Id + "@1:");
        }
    }

    [Theory]
    [InlineData("""{"id":"x","nameZh":"a","nameEn":"a","basisZh":"b","basisEn":"b","rules":[{"id":"r","effect":"fail","descriptionZh":"d","descriptionEn":"d","list":{"types":["no-such-list"]}}]}""", "未知的名单类型")]
    [InlineData("""{"id":"x","nameZh":"a","nameEn":"a","basisZh":"b","basisEn":"b","rules":[{"id":"r","effect":"fail","descriptionZh":"d","descriptionEn":"d","record":{"type":"penalty","withinMonths":12,"grades":["huge"]}}]}""", "未知的处罚等级")]
    [InlineData("""{"id":"x","nameZh":"a","nameEn":"a","basisZh":"b","basisEn":"b","rules":[{"id":"r","effect":"fail","descriptionZh":"d","descriptionEn":"d","record":{"type":"penalty","withinMonths":0}}]}""", "withinMonths")]
    [InlineData("""{"id":"x","nameZh":"a","nameEn":"a","basisEn":"b","rules":[{"id":"r","effect":"fail","descriptionZh":"d","descriptionEn":"d","list":{"kinds":["black"]}}]}""", "basisZh")]
    [InlineData("""{"id":"x","nameZh":"a","nameEn":"a","basisZh":"b","basisEn":"b","rules":[{"id":"r","effect":"fail","descriptionZh":"d","descriptionEn":"d","list":{"kinds":["black"]},"record":{"type":"penalty","withinMonths":3}}]}""", "须且只能有一个条件")]
    [InlineData("""{"id":"X Y","nameZh":"a","nameEn":"a","basisZh":"b","basisEn":"b","rules":[]}""", "用途标识")]
    [InlineData("""{"id":"x","nameZh":"a","nameEn":"a","basisZh":"b","basisEn":"b","rules":[]}""", "至少需要一条规则")]
    [InlineData("""{"id":"x", nope""", "JSON")]
    public void Parse_InvalidDefinition_RefusedWithChineseReason(string json, string expected)
    {
        var ex = Should.Throw<CheckPurposeException>(() => CheckPurposes.Parse(json, 1, Types));
        ex.MessageZh.ShouldContain(expected);
        ex.MessageEn.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Evaluate_EmploymentSubsidy_BlackListEntryFailsNamingRuleAndEntry()
    {
        var v = Evaluator.Evaluate(Shipped("employment-subsidy"), CheckDate, [Entry(41, "judgment-defaulter")], []);
        v.Outcome.ShouldBe(CheckOutcome.Fail);
        var r = v.Reasons.Single();
        r.RuleId.ShouldBe("serious-dishonesty-list");
        r.EvidenceKind.ShouldBe("list_entry");
        r.EvidenceId.ShouldBe(41);
        r.TextZh.ShouldContain("失信被执行人名单");
        r.TextZh.ShouldContain("决定41");
    }

    [Fact]
    public void Evaluate_EmploymentSubsidy_WatchAndRedListsDoNotFail()
    {
        Evaluator.Evaluate(Shipped("employment-subsidy"), CheckDate, [Entry(1, "abnormal-operation"), Entry(2, "a-grade-taxpayer")], []).Outcome.ShouldBe(CheckOutcome.Pass);
    }

    [Theory]
    [InlineData(2019, 2, 26, true)]   // exactly twelve months before the check date: inside
    [InlineData(2019, 2, 25, false)]  // one day earlier: outside
    [InlineData(2020, 2, 26, true)]   // on the check date
    [InlineData(2020, 2, 27, false)]  // after the check date
    public void Evaluate_SeriousPenalty_TwelveMonthWindowCountsBackFromCheckDate(int y, int m, int d, bool fails)
    {
        var v = Evaluator.Evaluate(Shipped("employment-subsidy"), CheckDate, [], [Penalty(7, new DateOnly(y, m, d), grade: "serious")]);
        v.Outcome.ShouldBe(fails ? CheckOutcome.Fail : CheckOutcome.Pass);
        if (fails) v.Reasons.Single().RuleId.ShouldBe("serious-penalty-12-months");
    }

    [Fact]
    public void Evaluate_GeneralPenaltyOrRepairedSeriousPenalty_Passes()
    {
        var purpose = Shipped("employment-subsidy");
        Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(1, new DateOnly(2020, 1, 10), grade: "general")]).Outcome.ShouldBe(CheckOutcome.Pass);
        Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(2, new DateOnly(2019, 6, 10), grade: "serious", endedOn: new DateOnly(2020, 1, 5))]).Outcome.ShouldBe(CheckOutcome.Pass);
        // Repaired only after the check date: on the check date it still counted.
        Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(3, new DateOnly(2019, 6, 10), grade: "serious", endedOn: new DateOnly(2020, 3, 1))]).Outcome.ShouldBe(CheckOutcome.Fail);
    }

    [Fact]
    public void Evaluate_FailingItemUnderObjection_NeedsReviewInstead()
    {
        var purpose = Shipped("employment-subsidy");
        var v = Evaluator.Evaluate(purpose, CheckDate, [Entry(5, "serious-dishonesty-tax", objection: true)], []);
        v.Outcome.ShouldBe(CheckOutcome.NeedsReview);
        v.Reasons.Single().TextZh.ShouldContain("异议处理中");
        // A second failing item not under objection still fails.
        Evaluator.Evaluate(purpose, CheckDate, [Entry(5, "serious-dishonesty-tax", objection: true)], [Penalty(9, new DateOnly(2019, 12, 1), grade: "serious")])
            .Outcome.ShouldBe(CheckOutcome.Fail);
    }

    [Fact]
    public void Evaluate_Procurement_LargeFineAndRevocationFailSmallFineAndOtherListsPass()
    {
        var purpose = Shipped("government-procurement");
        var big = Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(1, new DateOnly(2018, 3, 1), amount: 200m)]);
        big.Outcome.ShouldBe(CheckOutcome.Fail);
        big.Reasons.Single().RuleId.ShouldBe("major-violation-large-fine");
        Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(2, new DateOnly(2018, 3, 1), amount: 199.99m)]).Outcome.ShouldBe(CheckOutcome.Pass);
        Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(3, new DateOnly(2019, 3, 1), kinds: "罚款;吊销许可证件", amount: 5m)])
            .Reasons.Single().RuleId.ShouldBe("major-violation-suspension-revocation");
        Evaluator.Evaluate(purpose, CheckDate, [Entry(4, "labour-wage-arrears")], []).Outcome.ShouldBe(CheckOutcome.Pass);
        Evaluator.Evaluate(purpose, CheckDate, [Entry(4, "judgment-defaulter")], []).Outcome.ShouldBe(CheckOutcome.Fail);
    }

    [Fact]
    public void Evaluate_AwardReview_PublishedPenaltyNeedsReviewUnpublishedDoesNot()
    {
        var purpose = Shipped("award-review");
        var v = Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(1, new DateOnly(2018, 1, 5), grade: "minor")]);
        v.Outcome.ShouldBe(CheckOutcome.NeedsReview);
        v.Reasons.Single().Effect.ShouldBe(RuleEffect.Review);
        Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(2, new DateOnly(2018, 1, 5), published: false)]).Outcome.ShouldBe(CheckOutcome.Pass);
        Evaluator.Evaluate(purpose, CheckDate, [], [Penalty(3, new DateOnly(2017, 2, 25))]).Outcome.ShouldBe(CheckOutcome.Pass);
    }
}
