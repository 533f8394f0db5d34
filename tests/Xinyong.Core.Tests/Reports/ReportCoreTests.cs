using System.Text;
using Xinyong.Core.Reports;

namespace Xinyong.Core.Tests.Reports;

public sealed class ReportNumberTests
{
    [Fact]
    public void CheckChar_ResidentIdStandardExample_IsX()
    {
        // ISO 7064 MOD 11-2 is the resident ID number's check: 11010519491231002X.
        ReportNumber.CheckChar("11010519491231002").ShouldBe('X');
    }

    [Fact]
    public void ToString_DateSequenceCheck_IsStructured()
    {
        var n = ReportNumber.Create(new DateOnly(2026, 12, 1), 12);
        n.ToString().ShouldBe($"XY-20261201-00012-{ReportNumber.CheckChar("2026120100012")}");
    }

    [Theory]
    [InlineData("xy2026120100012")]
    [InlineData(" XY－20261201－00012－ ")]
    public void TryParse_TypedWithoutHyphensOrFullWidth_ReadsTheNumber(string prefix)
    {
        var n = ReportNumber.Create(new DateOnly(2026, 12, 1), 12);
        ReportNumber.TryParse(prefix.TrimEnd() + n.Check, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(n);
    }

    [Fact]
    public void TryParse_OneDigitMistyped_IsRejected()
    {
        var n = ReportNumber.Create(new DateOnly(2026, 12, 1), 12).ToString();
        var typo = n.Replace("00012", "00013", StringComparison.Ordinal);
        ReportNumber.TryParse(typo, out _).ShouldBeFalse();
    }

    [Fact]
    public void Create_SequenceZero_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => ReportNumber.Create(new DateOnly(2026, 12, 1), 0));
}

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Serialize_Members_SortedWithoutWhitespaceAndChineseUnescaped()
    {
        var text = CanonicalJson.Text(CanonicalJson.Serialize(new { Zeta = 1, Alpha = "苏州", Mid = (string?)null }));
        text.ShouldBe("{\"alpha\":\"苏州\",\"zeta\":1}");
    }

    [Fact]
    public void Canonicalize_ReorderedAndIndentedText_GivesTheSameHash()
    {
        var content = new ReportContent { Number = "XY-20261201-00001-0", IssueDate = new DateOnly(2026, 12, 1), Title = "公共信用信息报告" };
        var canonical = CanonicalJson.Serialize(content);
        var indented = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(canonical), new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        CanonicalJson.Sha256Hex(CanonicalJson.Canonicalize(indented)).ShouldBe(CanonicalJson.Sha256Hex(canonical));
    }

    [Fact]
    public void Sha256Hex_OneCharacterChanged_Differs()
    {
        var a = CanonicalJson.Serialize(new ReportContent { Title = "罚款金额 5000" });
        var b = CanonicalJson.Serialize(new ReportContent { Title = "罚款金额 6000" });
        CanonicalJson.Sha256Hex(a).ShouldNotBe(CanonicalJson.Sha256Hex(b));
        CanonicalJson.Sha256Hex(Encoding.UTF8.GetBytes("abc")).ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void Deserialize_CanonicalContent_RoundTrips()
    {
        var content = new ReportContent
        {
            Number = "XY-20261201-00001-0",
            IssueDate = new DateOnly(2026, 12, 1),
            Sections = [new ReportSection { Id = "penalties", Title = "二、行政处罚信息", Count = 1, Items = [new ReportItem("昆市监罚〔2024〕1号", [new ReportField("处罚机关", "昆山市市场监督管理局")])] }],
        };
        var back = CanonicalJson.Deserialize<ReportContent>(CanonicalJson.Text(CanonicalJson.Serialize(content)));
        CanonicalJson.Sha256Hex(CanonicalJson.Serialize(back)).ShouldBe(CanonicalJson.Sha256Hex(CanonicalJson.Serialize(content)));
        back.Sections[0].Items[0].Fields[0].Value.ShouldBe("昆山市市场监督管理局");
    }
}

public sealed class ReportRequestTests
{
    private static readonly ReportPurposeCatalogue Purposes = ReportPurposeCatalogue.LoadDefault();
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly DateTime At = new(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc);

    private static ReportApplication App(string kind = ReportKinds.Public, string? purpose = null, string contact = "13800001111") =>
        new("91320583MA1K314J7X", kind, purpose, "张三", contact, "招投标");

    [Fact]
    public void Validate_PurposeReportWithoutField_RefusedNamingPurpose()
    {
        var ex = Should.Throw<ReportRefusedException>(() => ReportRequest.Validate(App(ReportKinds.Purpose), Purposes, Today));
        ex.Refusal.Code.ShouldBe("purpose-unknown");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("a@b")]
    [InlineData("")]
    public void Validate_BadContact_Refused(string contact) =>
        Should.Throw<ReportRefusedException>(() => ReportRequest.Validate(App(contact: contact), Purposes, Today)).Refusal.Code.ShouldBe("contact-invalid");

    [Fact]
    public void Validate_EmailContactAndWorkSafety_Accepted()
    {
        var app = ReportRequest.Validate(App(ReportKinds.Purpose, "work-safety", "office@example.cn"), Purposes, Today);
        app.PurposeId.ShouldBe("work-safety");
    }

    [Fact]
    public void Issue_Twice_RefusedAlreadyIssued()
    {
        var r = ReportRequest.Open(App(), 1, "苏州甲科技有限公司", "SQ1", At);
        r.Issue("XY-20261201-00001-0", "staff", At);
        Should.Throw<ReportRefusedException>(() => r.Issue("XY-20261201-00002-8", "staff", At)).Refusal.Code.ShouldBe("already-issued");
        r.State.ReportNumber.ShouldBe("XY-20261201-00001-0");
    }

    [Fact]
    public void Reject_WithoutReason_Refused_ThenIssueAfterRejectRefused()
    {
        var r = ReportRequest.Open(App(), 1, "苏州甲科技有限公司", "SQ1", At);
        Should.Throw<ReportRefusedException>(() => r.Reject("  ", "staff", At)).Refusal.Code.ShouldBe("reason-required");
        r.Reject("申请人与主体无关联", "staff", At);
        Should.Throw<ReportRefusedException>(() => r.Issue("XY-20261201-00001-0", "staff", At)).Refusal.Code.ShouldBe("already-rejected");
    }

    [Fact]
    public void Purpose_WorkSafety_CoversSectorDepartmentAndBasis()
    {
        var p = Purposes.Find("work-safety", Today)!;
        p.Covers("yjglj", null, null).ShouldBeTrue();
        p.Covers("scjgj", "special-equipment", null).ShouldBeTrue();
        p.Covers("scjgj", null, "《中华人民共和国安全生产法》第九十九条").ShouldBeTrue();
        p.Covers("scjgj", null, "《中华人民共和国食品安全法》第一百二十四条").ShouldBeFalse();
        p.DefaultPeriod(Today).ShouldBe((new DateOnly(2023, 12, 2), Today));
    }
}
