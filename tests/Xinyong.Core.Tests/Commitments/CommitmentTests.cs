using Xinyong.Core.Commitments;

namespace Xinyong.Core.Tests.Commitments;

public sealed class CommitmentTests
{
    private static readonly CommitmentKindCatalogue Kinds = CommitmentKindCatalogue.LoadDefault();
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static CommitmentKind Voluntary => Kinds.Find("voluntary", Day)!;
    private static CommitmentKind NotifyAndCommit => Kinds.Find("approval-replacing", Day)!;

    private static CommitmentDraft Draft(string kind = "voluntary", string? content = "严格遵守食品安全法律法规，诚信经营，接受社会监督。", string? matter = null,
        DateOnly? madeOn = null, DateOnly? dueOn = null, string channel = CommitmentChannels.Form, string? contact = null, string? phone = null) =>
        new(kind, 7, 3, content, matter, madeOn ?? Day, dueOn, channel, ContactName: contact, ContactPhone: phone);

    private static Commitment Published()
    {
        var c = Commitment.Register(Draft(), Voluntary, Day);
        c.Publish(Day);
        return c;
    }

    private static Commitment Suspected()
    {
        var c = Published();
        c.SuspectBreach(Day.AddDays(10), "抽查发现销售过期食品");
        return c;
    }

    private static BreachFinding Finding(string? number = "昆市监违诺〔2026〕3号", string? basis = "《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》",
        string? grade = null, string? facts = null) => new(number, facts, basis, grade);

    [Fact]
    public void Register_ValidDraft_IsRegisteredWithTheKindsLegalBasis()
    {
        var c = Commitment.Register(Draft(), Voluntary, Day);
        c.Status.ShouldBe(CommitmentStatus.Registered);
        c.Kind.ShouldBe("voluntary");
        c.KindVersion.ShouldBe(Voluntary.EffectiveFrom);
        c.LegalBasis.ShouldBe(Voluntary.LegalBasisZh);
        c.InForce.ShouldBeFalse();
    }

    [Fact]
    public void Register_WithoutContent_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft(content: " "), Voluntary, Day)).Refusal.Code.ShouldBe("content-required");

    [Fact]
    public void Register_NotifyAndCommitWithoutMatter_IsRefused()
    {
        var ex = Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft("approval-replacing"), NotifyAndCommit, Day));
        ex.Refusal.Code.ShouldBe("matter-required");
        ex.Refusal.Field.ShouldBe("matter");
        Commitment.Register(Draft("approval-replacing", matter: "烟草专卖零售许可证核发"), NotifyAndCommit, Day).Matter.ShouldBe("烟草专卖零售许可证核发");
    }

    [Fact]
    public void Register_DatedInTheFutureOrDueBeforeMade_IsRefused()
    {
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft(madeOn: Day.AddDays(1)), Voluntary, Day)).Refusal.Code.ShouldBe("made-in-future");
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft(dueOn: Day.AddDays(-1)), Voluntary, Day)).Refusal.Code.ShouldBe("due-before-made");
    }

    [Fact]
    public void Register_OnlineForAKindMadeToADepartment_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(
            Draft("approval-replacing", matter: "公共场所卫生许可", channel: CommitmentChannels.Online, contact: "李明", phone: "0512-57000000"), NotifyAndCommit, Day))
            .Refusal.Code.ShouldBe("not-online");

    [Fact]
    public void Register_OnlineWithoutContact_IsRefused()
    {
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft(channel: CommitmentChannels.Online, contact: "李明"), Voluntary, Day))
            .Refusal.Code.ShouldBe("contact-required");
        Commitment.Register(Draft(channel: CommitmentChannels.Online, contact: "李明", phone: "13800000000"), Voluntary, Day).ContactPhone.ShouldBe("13800000000");
    }

    [Fact]
    public void Publish_Registered_IsPublishedAndInForce()
    {
        var c = Commitment.Register(Draft(), Voluntary, Day);
        var t = c.Publish(Day);
        t.ShouldBe(new CommitmentTransition(CommitmentStatus.Registered, CommitmentStatus.Published, Day, null));
        c.PublishedOn.ShouldBe(Day);
        c.InForce.ShouldBeTrue();
    }

    [Fact]
    public void Publish_Twice_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Published().Publish(Day)).Refusal.Code.ShouldBe("illegal-transition");

    [Fact]
    public void Publish_BeforeTheCommitmentDate_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft(), Voluntary, Day).Publish(Day.AddDays(-1)))
            .Refusal.Code.ShouldBe("date-before-commitment");

    [Fact]
    public void Fulfil_Published_IsFulfilledAndNoLongerInForce()
    {
        var c = Published();
        var t = c.Fulfil(Day.AddMonths(1), "已按期补齐材料");
        t.To.ShouldBe(CommitmentStatus.Fulfilled);
        t.Note.ShouldBe("已按期补齐材料");
        c.FulfilledOn.ShouldBe(Day.AddMonths(1));
        c.InForce.ShouldBeFalse();
    }

    [Fact]
    public void Fulfil_BeforePublication_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft(), Voluntary, Day).Fulfil(Day, null)).Refusal.Code.ShouldBe("illegal-transition");

    [Fact]
    public void Fulfil_Twice_IsRefused()
    {
        var c = Published();
        c.Fulfil(Day, null);
        Should.Throw<CommitmentRefusedException>(() => c.Fulfil(Day, null)).Refusal.Code.ShouldBe("illegal-transition");
    }

    [Fact]
    public void Fulfil_WhileABreachIsSuspected_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Suspected().Fulfil(Day.AddDays(11), null)).Refusal.Code.ShouldBe("breach-under-review");

    [Fact]
    public void Fulfil_AfterBreachConfirmed_IsRefusedWithTheDecision()
    {
        var c = Suspected();
        c.ConfirmBreach(Day.AddDays(20), Finding(), Voluntary);
        var ex = Should.Throw<CommitmentRefusedException>(() => c.Fulfil(Day.AddDays(21), null));
        ex.Refusal.Code.ShouldBe("breach-confirmed");
        ex.Refusal.Kind.ShouldBe(CommitmentRefusalKind.Conflict);
        ex.Refusal.Zh.ShouldContain("昆市监违诺〔2026〕3号");
        c.Status.ShouldBe(CommitmentStatus.BreachConfirmed);
    }

    [Fact]
    public void SuspectBreach_Published_RecordsTheFacts()
    {
        var c = Published();
        var t = c.SuspectBreach(Day.AddDays(3), "事后核查发现未取得场所产权证明");
        t.ShouldBe(new CommitmentTransition(CommitmentStatus.Published, CommitmentStatus.BreachSuspected, Day.AddDays(3), "事后核查发现未取得场所产权证明"));
        c.InForce.ShouldBeTrue();
    }

    [Fact]
    public void SuspectBreach_WithoutFacts_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Published().SuspectBreach(Day, "")).Refusal.Code.ShouldBe("facts-required");

    [Fact]
    public void SuspectBreach_BeforePublicationOrAfterFulfilment_IsRefused()
    {
        Should.Throw<CommitmentRefusedException>(() => Commitment.Register(Draft(), Voluntary, Day).SuspectBreach(Day, "x")).Refusal.Code.ShouldBe("illegal-transition");
        var c = Published();
        c.Fulfil(Day, null);
        Should.Throw<CommitmentRefusedException>(() => c.SuspectBreach(Day, "x")).Refusal.Code.ShouldBe("illegal-transition");
    }

    [Fact]
    public void ConfirmBreach_Suspected_StoresTheFindingWithTheKindsDefaultGrade()
    {
        var c = Suspected();
        var t = c.ConfirmBreach(Day.AddDays(20), Finding(), Voluntary);
        t.From.ShouldBe(CommitmentStatus.BreachSuspected);
        t.To.ShouldBe(CommitmentStatus.BreachConfirmed);
        c.ConfirmedOn.ShouldBe(Day.AddDays(20));
        c.BreachFacts.ShouldBe("抽查发现销售过期食品");
        c.BreachGrade.ShouldBe(Voluntary.BreachGradeDefault);
        c.BreachBasis!.ShouldContain("国务院办公厅");
        c.InForce.ShouldBeFalse();
    }

    [Fact]
    public void ConfirmBreach_Twice_IsRefused()
    {
        var c = Suspected();
        c.ConfirmBreach(Day.AddDays(20), Finding(), Voluntary);
        var ex = Should.Throw<CommitmentRefusedException>(() => c.ConfirmBreach(Day.AddDays(21), Finding("另一文号"), Voluntary));
        ex.Refusal.Code.ShouldBe("breach-already-confirmed");
        c.BreachDecisionNumber.ShouldBe("昆市监违诺〔2026〕3号");
    }

    [Fact]
    public void ConfirmBreach_WithoutASuspicion_IsRefused() =>
        Should.Throw<CommitmentRefusedException>(() => Published().ConfirmBreach(Day, Finding(), Voluntary)).Refusal.Code.ShouldBe("illegal-transition");

    [Fact]
    public void ConfirmBreach_WithoutDecisionNumberOrLegalBasis_IsRefused()
    {
        var c = Suspected();
        Should.Throw<CommitmentRefusedException>(() => c.ConfirmBreach(Day.AddDays(20), Finding(number: ""), Voluntary)).Refusal.Code.ShouldBe("decision-number-required");
        Should.Throw<CommitmentRefusedException>(() => c.ConfirmBreach(Day.AddDays(20), Finding(basis: null), Voluntary)).Refusal.Code.ShouldBe("legal-basis-required");
        c.Status.ShouldBe(CommitmentStatus.BreachSuspected);
    }

    [Fact]
    public void ConfirmBreach_UnknownGradeOrBeforeTheSuspicion_IsRefused()
    {
        var c = Suspected();
        Should.Throw<CommitmentRefusedException>(() => c.ConfirmBreach(Day.AddDays(20), Finding(grade: "severe"), Voluntary)).Refusal.Code.ShouldBe("grade-invalid");
        Should.Throw<CommitmentRefusedException>(() => c.ConfirmBreach(Day.AddDays(5), Finding(), Voluntary)).Refusal.Code.ShouldBe("date-before-suspicion");
        c.ConfirmBreach(Day.AddDays(20), Finding(grade: "serious"), Voluntary).To.ShouldBe(CommitmentStatus.BreachConfirmed);
        c.BreachGrade.ShouldBe("serious");
    }

    [Fact]
    public void Clear_Suspected_StaysInForceAndMayBeFulfilledOrSuspectedAgain()
    {
        var c = Suspected();
        var t = c.Clear(Day.AddDays(12), "复查确认所售食品在保质期内");
        t.ShouldBe(new CommitmentTransition(CommitmentStatus.BreachSuspected, CommitmentStatus.Cleared, Day.AddDays(12), "复查确认所售食品在保质期内"));
        c.InForce.ShouldBeTrue();
        c.SuspectBreach(Day.AddDays(30), "再次抽查发现问题").To.ShouldBe(CommitmentStatus.BreachSuspected);
        c.Clear(Day.AddDays(31), "复查无问题");
        c.Fulfil(Day.AddDays(40), null).To.ShouldBe(CommitmentStatus.Fulfilled);
    }

    [Fact]
    public void Clear_WithoutReasonOrWithoutSuspicion_IsRefused()
    {
        Should.Throw<CommitmentRefusedException>(() => Suspected().Clear(Day.AddDays(12), " ")).Refusal.Code.ShouldBe("reason-required");
        Should.Throw<CommitmentRefusedException>(() => Published().Clear(Day, "x")).Refusal.Code.ShouldBe("illegal-transition");
        var confirmed = Suspected();
        confirmed.ConfirmBreach(Day.AddDays(20), Finding(), Voluntary);
        Should.Throw<CommitmentRefusedException>(() => confirmed.Clear(Day.AddDays(21), "x")).Refusal.Code.ShouldBe("illegal-transition");
    }

    [Fact]
    public void AttachBreachRecord_OnlyOnceAndOnlyAfterConfirmation()
    {
        var c = Suspected();
        Should.Throw<InvalidOperationException>(() => c.AttachBreachRecord(5));
        c.ConfirmBreach(Day.AddDays(20), Finding(), Voluntary);
        c.AttachBreachRecord(5);
        c.BreachRecordId.ShouldBe(5);
        Should.Throw<InvalidOperationException>(() => c.AttachBreachRecord(6));
    }

    [Theory]
    [InlineData("registered", "已登记", "履约中")]
    [InlineData("breach-suspected", "涉嫌违诺", "履约中")]
    [InlineData("breach-confirmed", "已认定违诺", "已违诺")]
    [InlineData("fulfilled", "已履约", "已履约")]
    public void PublicChinese_SuspicionIsNotDisclosed(string status, string staff, string shown)
    {
        CommitmentStatus.ToChinese(status).ShouldBe(staff);
        CommitmentStatus.PublicChinese(status).ShouldBe(shown);
    }
}
