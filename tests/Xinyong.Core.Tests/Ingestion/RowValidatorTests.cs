using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Subjects;

namespace Xinyong.Core.Tests.Ingestion;

public sealed class RowValidatorTests
{
    private static readonly RecordType Penalty = RecordCatalogue.LoadDefault()["penalty"];
    private static readonly string[] Header = ["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_JDRQ", "CF_YXQ", "CF_CFJG"];
    private static readonly DateOnly Today = new(2026, 11, 20);

    private static ValidatedRow Validate(params (string Field, string? Value)[] overrides)
    {
        var cells = new Dictionary<string, string?>
        {
            ["CF_XDR_MC"] = "昆山市甲有限公司", ["CF_XDR_LB"] = "法人及非法人组织", ["CF_XDR_SHXYM"] = "91350100M000100Y43", ["CF_WSH"] = "昆市监〔2026〕1号",
            ["CF_WFXW"] = "w", ["CF_SY"] = "s", ["CF_YJ"] = "y", ["CF_CFLB"] = "罚款", ["CF_NR"] = "n", ["CF_NR_FK"] = "0.5", ["CF_JDRQ"] = "2026-11-02",
            ["CF_CFJG"] = "昆山市市场监督管理局",
        };
        foreach (var (f, v) in overrides) cells[f] = v;
        var validator = new RowValidator(Penalty, HeaderMapping.Map(Penalty, Header), Header, Today);
        return validator.Validate(2, Header.Select(h => cells.GetValueOrDefault(h)).ToArray());
    }

    private static string? Value(ValidatedRow row, string field) => row.Values[Penalty.IndexOf(field)];

    [Fact]
    public void Validate_GoodRow_NormalisesValuesAndComputesKeyAndHash()
    {
        var row = Validate(("CF_XDR_SHXYM", " ９１３５０１００ｍ０００１００ｙ４３ "), ("CF_CFLB", "03、警告"), ("CF_JDRQ", "2026年11月2日"), ("CF_NR_FK", "1,234.5万元"));

        row.IsValid.ShouldBeTrue(string.Join("; ", row.Errors.Select(e => e.MessageZh)));
        Value(row, "CF_XDR_SHXYM").ShouldBe("91350100M000100Y43");
        Value(row, "CF_CFLB").ShouldBe("罚款;警告");
        Value(row, "CF_JDRQ").ShouldBe("2026-11-02");
        Value(row, "CF_NR_FK").ShouldBe("1234.5");
        row.DecisionDate.ShouldBe(new DateOnly(2026, 11, 2));
        row.SubjectKind.ShouldBe(SubjectKind.LegalPerson);
        row.BusinessKey.ShouldBe("昆市监(2026)1号\u001F昆山市市场监督管理局");
        row.ContentHash.Length.ShouldBe(32);
        Validate().ContentHash.ShouldNotBe(row.ContentHash);
    }

    /// <summary>
    /// The content hash is stored with every record and compared with the next file's rows, so its definition is fixed:
    /// SHA-256 of the UTF-8 of each normalised value followed by U+001F, first 16 bytes in lower-case hex. A short row and a
    /// row too long for the validator's stack buffer (3,000 Chinese characters of content) must both give exactly that.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(3_000)]
    public void Validate_ContentHash_IsTheStoredDefinition(int contentLength)
    {
        var row = contentLength == 0 ? Validate() : Validate(("CF_NR", new string('罚', contentLength)));

        row.IsValid.ShouldBeTrue(string.Join("; ", row.Errors.Select(e => e.MessageZh)));
        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Concat(row.Values.Select(v => v + "\u001F")));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes).AsSpan(0, 16));
        row.ContentHash.ShouldBe(expected);
    }

    [Theory]
    [InlineData("CF_NR_FK", "5000元", "wrong_unit")]
    [InlineData("CF_NR_FK", "200000", "wrong_unit")]
    [InlineData("CF_NR_FK", "-1", "amount_negative")]
    [InlineData("CF_NR_FK", "1.1234567", "too_many_decimals")]
    [InlineData("CF_NR_FK", "一千", "bad_number")]
    [InlineData("CF_NR_FK", "", "required")]
    [InlineData("CF_JDRQ", "2026-02-29", "bad_date")]
    [InlineData("CF_JDRQ", "2026-11-21", "future_date")]
    [InlineData("CF_YXQ", "2026-01-01", "date_order")]
    [InlineData("CF_XDR_LB", "外国人", "bad_enum")]
    [InlineData("CF_CFLB", "罚款;批评教育", "bad_enum")]
    [InlineData("CF_XDR_SHXYM", "91350100M000100Y44", "bad_code")]
    [InlineData("CF_XDR_SHXYM", "", "subject_code_missing")]
    [InlineData("CF_WSH", "", "required")]
    public void Validate_BadValue_IsRejectedWithFieldAndCode(string field, string value, string code)
    {
        var row = Validate((field, value));
        row.IsValid.ShouldBeFalse();
        row.Errors.ShouldContain(e => e.Code == code, string.Join("; ", row.Errors.Select(e => e.Code)));
        row.Errors.First(e => e.Code == code).MessageEn.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Validate_NaturalPersonWithoutIdNumber_IsRejected()
    {
        var row = Validate(("CF_XDR_LB", "自然人"), ("CF_XDR_SHXYM", null));
        row.Errors.ShouldContain(e => e.Field == "CF_XDR_ZJHM" && e.Code == "required");
    }

    [Fact]
    public void Validate_BadIdNumber_IsMaskedInTheMessage()
    {
        var row = Validate(("CF_XDR_LB", "自然人"), ("CF_XDR_SHXYM", null), ("CF_XDR_ZJHM", "110105194912310021"));
        var error = row.Errors.Single(e => e.Field == "CF_XDR_ZJHM");
        error.Value.ShouldNotBeNull().ShouldNotContain("19491231");
        error.MessageZh.ShouldNotContain("19491231");
    }

    [Fact]
    public void Validate_SeveralProblems_AreAllReported()
    {
        var row = Validate(("CF_JDRQ", "bad"), ("CF_NR_FK", "5元"), ("CF_XDR_MC", ""));
        row.Errors.Select(e => e.Field).ShouldBe(["CF_XDR_MC", "CF_NR_FK", "CF_JDRQ"], ignoreOrder: true);
    }

    /// <summary>Dates as departments write them: the ISO form read digit by digit, the others by their formats.</summary>
    [Theory]
    [InlineData("2024-02-29", "2024-02-29")]
    [InlineData("2023-02-28", "2023-02-28")]
    [InlineData("1949-10-01", "1949-10-01")]
    [InlineData("2024-12-31", "2024-12-31")]
    [InlineData("2024/3/5", "2024-03-05")]
    [InlineData("2024年3月5日", "2024-03-05")]
    [InlineData("20240305", "2024-03-05")]
    [InlineData("2023-02-29", null)]
    [InlineData("2024-04-31", null)]
    [InlineData("2024-13-01", null)]
    [InlineData("2024-00-10", null)]
    [InlineData("2024-01-00", null)]
    [InlineData("1948-12-31", null)]
    [InlineData("0000-01-01", null)]
    [InlineData("2024-1-055", null)]
    public void TryParseDate_IsoAndOtherForms(string cell, string? expected)
    {
        var ok = RowValidator.TryParseDate(cell, out var date);
        ok.ShouldBe(expected is not null);
        if (expected is not null) date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expected);
    }
}
