using System.Text;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Core.Tests.Ingestion;

public sealed class TableSourcesTests
{
    static TableSourcesTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static List<string?[]> ReadAll(byte[] bytes, string name, out IReadOnlyList<string> header, out List<long> rowNumbers)
    {
        using var reader = TableSources.Open(new MemoryStream(bytes), name);
        header = reader.Header.ToList();
        var rows = new List<string?[]>();
        rowNumbers = [];
        while (reader.Read())
        {
            rows.Add([.. reader.Current]);
            rowNumbers.Add(reader.RowNumber);
        }
        return rows;
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-8-bom")]
    [InlineData("gb18030")]
    public void Csv_InDepartmentEncodings_ReadsChineseText(string encoding)
    {
        const string text = "CF_XDR_MC,CF_WSH\n昆山（中国）有限公司,\"昆市监〔2026〕1号, 附\"\n\n苏州乙公司,2号\n";
        var bytes = encoding switch
        {
            "gb18030" => Encoding.GetEncoding("GB18030").GetBytes(text),
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            _ => Encoding.UTF8.GetBytes(text),
        };
        var rows = ReadAll(bytes, "a.csv", out var header, out var numbers);
        header.ShouldBe(["CF_XDR_MC", "CF_WSH"]);
        rows.Count.ShouldBe(2);
        rows[0][0].ShouldBe("昆山（中国）有限公司");
        rows[0][1].ShouldBe("昆市监〔2026〕1号, 附");
        numbers.ShouldBe([2L, 4L]);
    }

    [Fact]
    public void Csv_TabSeparated_IsDetected()
    {
        var rows = ReadAll(Encoding.UTF8.GetBytes("A\tB\n1\t2\n"), "a.txt", out var header, out _);
        header.ShouldBe(["A", "B"]);
        rows[0].ShouldBe(["1", "2"]);
    }

    [Fact]
    public void Open_Utf16OrLegacyXlsOrEmpty_ThrowsWithClearChineseMessage()
    {
        Should.Throw<SourceFormatException>(() => TableSources.Open(new MemoryStream(Encoding.Unicode.GetBytes("A,B\n1,2\n")), "a.csv")).MessageZh.ShouldContain("编码");
        Should.Throw<SourceFormatException>(() => TableSources.Open(new MemoryStream([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), "a.xls")).MessageZh.ShouldContain(".xlsx");
        Should.Throw<SourceFormatException>(() => TableSources.Open(new MemoryStream([]), "a.csv")).MessageZh.ShouldContain("空");
    }

    [Fact]
    public void Json_ArrayOrWrappedRows_AreReadWithUnionOfKeys()
    {
        var rows = ReadAll(Encoding.UTF8.GetBytes("""{"rows":[{"A":"1","B":2},{"A":"3","C":null}]}"""), "a.json", out var header, out var numbers);
        header.ShouldBe(["A", "B"]);
        rows[0].ShouldBe(["1", "2"]);
        rows[1][0].ShouldBe("3");
        numbers.ShouldBe([1L, 2L]);
        Should.Throw<SourceFormatException>(() => TableSources.Open(new MemoryStream("[1,2]"u8.ToArray()), "a.json")).MessageZh.ShouldContain("对象");
        Should.Throw<SourceFormatException>(() =>
        {
            using var r = TableSources.Open(new MemoryStream("""[{"A":"1"},{"A":"""u8.ToArray()), "a.json");
            while (r.Read()) { }
        }).MessageZh.ShouldContain("JSON");
    }
}
