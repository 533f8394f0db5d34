using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Xinyong.Core.Ingestion.Sources;

using static Xinyong.Core.Tests.Ingestion.XlsxTestWorkbooks;

namespace Xinyong.Core.Tests.Ingestion;

public sealed class XlsxTableTests
{
    // ------------------------------------------------------------------ writer -> reader

    [Fact]
    public void WriteThenRead_ChineseTextEmptyAndSparseCells_RoundTrips()
    {
        string[] header = ["统一社会信用代码", "单位名称", "备注", "金额"];
        string?[][] rows =
        [
            ["91110000MA01ABCD1X", "北京某某科技有限公司", null, "1234.50"],
            ["", "只有第二列", "", null],
            [null, null, null, "仅最后一列"],
            ["  前后空格  ", "多行\n文本", "回车\r\n换行", "_x0041_ 字面"],
            ["控制\u0001字符", "制表\t符", "𠀀生僻字", "000123"],
        ];

        using MemoryStream file = Write("失信名单", header, rows);
        using var reader = new XlsxTableReader(file);

        reader.Header.ShouldBe(header);
        var read = ReadAll(reader);
        read.Select(r => r.Row).ShouldBe([2L, 3L, 4L, 5L, 6L]);
        read[0].Cells.ShouldBe(["91110000MA01ABCD1X", "北京某某科技有限公司", null, "1234.50"]);
        read[1].Cells.ShouldBe([null, "只有第二列", null, null]);
        read[2].Cells.ShouldBe([null, null, null, "仅最后一列"]);
        read[3].Cells.ShouldBe(["  前后空格  ", "多行\n文本", "回车\r\n换行", "_x0041_ 字面"]);
        read[4].Cells.ShouldBe(["控制\u0001字符", "制表\t符", "𠀀生僻字", "000123"]);
    }

    [Fact]
    public void WriteThenRead_RowWiderThanHeaderAndBlankRows_DropsExtraCellsAndSkipsBlankRows()
    {
        using MemoryStream file = Write("Sheet", ["A", "B"],
        [
            ["1", "2", "beyond header"],
            [null, null, "only beyond header"],
            ["   ", null],
            ["3"],
        ]);

        using var reader = new XlsxTableReader(file);

        var read = ReadAll(reader);
        read.Select(r => r.Row).ShouldBe([2L, 5L]);
        read[0].Cells.ShouldBe(["1", "2"]);
        read[1].Cells.ShouldBe(["3", null]);
    }

    [Fact]
    public void Writer_Output_IsValidOpenXmlWithBoldFrozenHeader()
    {
        using MemoryStream file = Write("核查结果", ["统一社会信用代码", "错误原因"], [["91110000MA01ABCD1X", "校验位错误"]]);

        using SpreadsheetDocument document = SpreadsheetDocument.Open(file, false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2010).Validate(document).ToList();
        errors.Select(e => $"{e.Path?.XPath}: {e.Description}").ShouldBeEmpty();

        WorkbookPart workbookPart = document.WorkbookPart!;
        workbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value.ShouldBe("核查结果");
        Worksheet worksheet = workbookPart.WorksheetParts.Single().Worksheet;
        Pane pane = worksheet.Descendants<Pane>().Single();
        pane.State!.Value.ShouldBe(PaneStateValues.Frozen);
        pane.VerticalSplit!.Value.ShouldBe(1D);

        Cell headerCell = worksheet.Descendants<Cell>().First();
        headerCell.CellReference!.Value.ShouldBe("A1");
        Stylesheet styles = workbookPart.WorkbookStylesPart!.Stylesheet;
        var format = (CellFormat)styles.CellFormats!.ElementAt((int)headerCell.StyleIndex!.Value);
        var font = (Font)styles.Fonts!.ElementAt((int)format.FontId!.Value);
        font.Elements<Bold>().ShouldNotBeEmpty();

        var columns = worksheet.Descendants<Column>().ToList();
        columns.Count.ShouldBe(2);
        columns[0].Width!.Value.ShouldBeGreaterThan(columns[1].Width!.Value);
    }

    [Fact]
    public void Writer_SheetNameWithForbiddenCharacters_IsSanitizedAndReadableByName()
    {
        using MemoryStream file = Write("失信/黑名单[2024]:第一批*", ["A"], [["x"]]);

        using var reader = new XlsxTableReader(file, "失信_黑名单_2024__第一批_");

        reader.Read().ShouldBeTrue();
        reader.Current.ShouldBe(["x"]);
    }

    [Fact]
    public void Writer_NonSeekableOutput_ProducesReadableWorkbook()
    {
        var buffer = new MemoryStream();
        using (var writer = new XlsxTableWriter(new NonSeekableStream(buffer), "S", ["名称"]))
        {
            writer.WriteRow(["张三"]);
        }

        using var reader = new XlsxTableReader(new MemoryStream(buffer.ToArray()));
        reader.Read().ShouldBeTrue();
        reader.Current.ShouldBe(["张三"]);
    }

    [Fact]
    public void Writer_Dispose_LeavesOutputOpen()
    {
        var buffer = new MemoryStream();
        new XlsxTableWriter(buffer, "S", ["A"]).Dispose();

        buffer.CanRead.ShouldBeTrue();
        buffer.Length.ShouldBeGreaterThan(0);
    }

    // ------------------------------------------------------------------ DOM-built workbooks

    [Fact]
    public void Read_DomWorkbookWithSharedStringsDatesNumbersSparseRefsAndBlankRow_ReturnsDisplayValues()
    {
        SharedStringItem[] strings =
        [
            new(new Text("姓名")),                   // 0
            new(new Text("日期")),                   // 1
            new(new Text("金额")),                   // 2
            new(new Text(" 备注 ")),                 // 3 (header is trimmed)
            new(new Text("张三")),                   // 4
            new(                                     // 5: rich text runs + phonetic run
                new Run(new RunProperties(new Bold()), new Text("李")),
                new Run(new Text("四")),
                new PhoneticRun(new Text("リ")) { BaseTextStartIndex = 0U, EndingBaseIndex = 1U }),
            new(new Text("a_x000D_b")),              // 6: Excel escape for CR
        ];
        Stylesheet styles = CreateStyles(
            [(164U, "yyyy\"年\"m\"月\"d\"日\""), (165U, "[h]:mm")],
            [0U, 14U, 22U, 164U, 165U, 20U]);

        using MemoryStream file = CreateWorkbook(
            sheetData => sheetData.Append(
                new Row(Str("A1", 0), Str("B1", 1), Str("C1", 2), Str("D1", 3)) { RowIndex = 1U },
                new Row(Str("A2", 4), Num("B2", "45000", 1), Num("C2", "1234.5"),
                        InlineRich("D2", new Run(new Text("内")), new Run(new Text("联")))) { RowIndex = 2U },
                new Row(new Cell { CellReference = "B3", StyleIndex = 1U }, InlineRich("C3", new Run(new Text("  ")))) { RowIndex = 3U },
                new Row(Str("A5", 5), Num("C5", "1.5E-3")) { RowIndex = 5U },
                new Row(
                    new Cell { CellReference = "A6", DataType = CellValues.Boolean, CellValue = new CellValue("1") },
                    Num("B6", "45000.5", 2),
                    new Cell { CellReference = "C6", CellFormula = new CellFormula("SUM(1,2)"), CellValue = new CellValue("3") },
                    new Cell { CellReference = "D6", DataType = CellValues.String, CellFormula = new CellFormula("A2&\"!\""), CellValue = new CellValue("张三!") })
                { RowIndex = 6U },
                new Row(Str("A7", 6), Num("B7", "45000", 3), Num("C7", "1.5", 4), Num("D7", "0.75", 5)) { RowIndex = 7U },
                new Row(new Cell { CellReference = "A8", DataType = CellValues.Error, CellValue = new CellValue("#N/A") }) { RowIndex = 8U },
                new Row() { RowIndex = 9U },
                new Row(new Cell { CellReference = "A10", StyleIndex = 1U }) { RowIndex = 10U }),
            strings,
            styles);

        using var reader = new XlsxTableReader(file);

        reader.Header.ShouldBe(["姓名", "日期", "金额", "备注"]);
        var read = ReadAll(reader);
        read.Select(r => r.Row).ShouldBe([2L, 5L, 6L, 7L, 8L]);
        read[0].Cells.ShouldBe(["张三", "2023-03-15", "1234.5", "内联"]);
        read[1].Cells.ShouldBe(["李四", null, "0.0015", null]);
        read[2].Cells.ShouldBe(["TRUE", "2023-03-15 12:00:00", "3", "张三!"]);
        read[3].Cells.ShouldBe(["a\rb", "2023-03-15", "1.5", "18:00:00"]);
        read[4].Cells.ShouldBe(["#N/A", null, null, null]);
        reader.Read().ShouldBeFalse();
    }

    [Fact]
    public void RowNumber_HeaderBelowBlankRowsAndRowsWithoutRefs_MatchesSpreadsheetRows()
    {
        using MemoryStream file = CreateWorkbook(sheetData => sheetData.Append(
            new Row() { RowIndex = 1U },
            new Row(InlineText("C2", "   ")) { RowIndex = 2U },
            new Row(InlineText("B3", "编号"), InlineText("C3", "名称")) { RowIndex = 3U },
            new Row(InlineText("B4", "1"), InlineText("C4", "甲")) { RowIndex = 4U },
            new Row(InlineText("C10", "乙")) { RowIndex = 10U },
            new Row(InlineText(null, "x"), InlineText(null, "3"), InlineText(null, "丙")))); // no r attributes: row 11, A..C

        using var reader = new XlsxTableReader(file);

        reader.RowNumber.ShouldBe(3);
        reader.Header.ShouldBe(["", "编号", "名称"]);
        var read = ReadAll(reader);
        read.Select(r => r.Row).ShouldBe([4L, 10L, 11L]);
        read[0].Cells.ShouldBe([null, "1", "甲"]);
        read[1].Cells.ShouldBe([null, null, "乙"]);
        read[2].Cells.ShouldBe(["x", "3", "丙"]);
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("-12.25", "-12.25")]
    [InlineData("123.0", "123")]
    [InlineData("007", "7")]
    [InlineData("-0", "0")]
    [InlineData("1.5E-3", "0.0015")]
    [InlineData("1E+20", "100000000000000000000")]
    [InlineData("0.30000000000000004", "0.3")]
    [InlineData("110101199001011234", "110101199001011234")]
    [InlineData("1.10101199001011E+17", "110101199001011000")]
    [InlineData("1234567.891", "1234567.891")]
    public void Read_NumberCell_FormatsInvariantWithoutExponent(string stored, string expected)
    {
        using MemoryStream file = CreateWorkbook(sheetData => sheetData.Append(
            new Row(InlineText("A1", "值")) { RowIndex = 1U },
            new Row(Num("A2", stored)) { RowIndex = 2U }));
        CultureInfo previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma must not leak in
        try
        {
            using var reader = new XlsxTableReader(file);

            reader.Read().ShouldBeTrue();
            reader.Current[0].ShouldBe(expected);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("14", "45000", "2023-03-15")]
    [InlineData("14", "45000.75", "2023-03-15")]
    [InlineData("22", "45000", "2023-03-15")]
    [InlineData("22", "45000.5", "2023-03-15 12:00:00")]
    [InlineData("22", "45000.99999999", "2023-03-16")]
    [InlineData("31", "45000", "2023-03-15")]
    [InlineData("20", "0.75", "18:00:00")]
    [InlineData("46", "1.5", "1.5")]
    [InlineData("14", "59", "1900-02-28")]
    [InlineData("14", "61", "1900-03-01")]
    [InlineData("yyyy/m/d h:mm", "45000.25", "2023-03-15 06:00:00")]
    [InlineData("[$-804]yyyy\"年\"m\"月\"d\"日\"", "45000", "2023-03-15")]
    [InlineData("[DBNum1][$-804]yyyy\"年\"m\"月\"", "45000", "2023-03-15")]
    [InlineData("mmm-yy", "45000", "2023-03-15")]
    [InlineData("yyyy-mm-dd;@", "45000", "2023-03-15")]
    [InlineData("h:mm:ss AM/PM", "0.5", "12:00:00")]
    [InlineData("[h]:mm", "1.5", "1.5")]
    [InlineData("[mm]:ss", "0.01", "0.01")]
    [InlineData("0.00%", "0.15", "0.15")]
    [InlineData("#,##0.00_);[Red](#,##0.00)", "1234.5", "1234.5")]
    [InlineData("0.00E+00", "12345", "12345")]
    [InlineData("\"日期\"0", "5", "5")]
    [InlineData("General", "45000", "45000")]
    public void Read_NumericCellWithNumberFormat_RendersDatesAsIso(string format, string stored, string expected)
    {
        bool builtIn = uint.TryParse(format, out uint builtInId);
        Stylesheet styles = builtIn
            ? CreateStyles([], [0U, builtInId])
            : CreateStyles([(170U, format)], [0U, 170U]);
        using MemoryStream file = CreateWorkbook(
            sheetData => sheetData.Append(
                new Row(InlineText("A1", "值")) { RowIndex = 1U },
                new Row(Num("A2", stored, 1)) { RowIndex = 2U }),
            styles: styles);

        using var reader = new XlsxTableReader(file);

        reader.Read().ShouldBeTrue();
        reader.Current[0].ShouldBe(expected);
    }

    [Fact]
    public void Read_Date1904Workbook_UsesThe1904Epoch()
    {
        using MemoryStream file = CreateWorkbook(
            sheetData => sheetData.Append(
                new Row(InlineText("A1", "日期")) { RowIndex = 1U },
                new Row(Num("A2", "43538", 1)) { RowIndex = 2U }),
            styles: CreateStyles([], [0U, 14U]),
            date1904: true);

        using var reader = new XlsxTableReader(file);

        reader.Read().ShouldBeTrue();
        reader.Current[0].ShouldBe("2023-03-15");
    }

    [Fact]
    public void Read_IsoDateCell_RendersIsoDate()
    {
        using MemoryStream file = CreateWorkbook(sheetData => sheetData.Append(
            new Row(InlineText("A1", "日期"), InlineText("B1", "时间")) { RowIndex = 1U },
            new Row(
                new Cell { CellReference = "A2", DataType = CellValues.Date, CellValue = new CellValue("2023-03-15T00:00:00") },
                new Cell { CellReference = "B2", DataType = CellValues.Date, CellValue = new CellValue("2023-03-15T08:30:00") })
            { RowIndex = 2U }));

        using var reader = new XlsxTableReader(file);

        reader.Read().ShouldBeTrue();
        reader.Current.ShouldBe(["2023-03-15", "2023-03-15 08:30:00"]);
    }

    // ------------------------------------------------------------------ sheets, streams

    [Fact]
    public void Constructor_SheetName_ReadsThatSheetAndDefaultsToFirstVisible()
    {
        using MemoryStream file = CreateMultiSheetWorkbook(("隐藏", true, "h"), ("第一", false, "a"), ("第二", false, "b"));

        using (var byDefault = new XlsxTableReader(new MemoryStream(file.ToArray())))
        {
            byDefault.Header.ShouldBe(["a"]);
        }

        using var byName = new XlsxTableReader(new MemoryStream(file.ToArray()), " 第二 ");
        byName.Header.ShouldBe(["b"]);
    }

    [Fact]
    public void Constructor_UnknownSheetName_ThrowsListingSheets()
    {
        using MemoryStream file = CreateMultiSheetWorkbook(("第一", false, "a"), ("第二", false, "b"));

        var ex = Should.Throw<SourceFormatException>(() => new XlsxTableReader(file, "第三"));

        ex.MessageZh.ShouldContain("第三");
        ex.MessageZh.ShouldContain("第一、第二");
        ex.MessageEn.ShouldContain("第三");
    }

    [Fact]
    public void Constructor_NonSeekableStream_ReadsRows()
    {
        using MemoryStream file = Write("S", ["名称"], [["甲"], ["乙"]]);

        using var reader = new XlsxTableReader(new NonSeekableStream(file));

        ReadAll(reader).Select(r => r.Cells[0]).ShouldBe(["甲", "乙"]);
    }

    [Fact]
    public void Dispose_Reader_DisposesSourceStream()
    {
        MemoryStream file = Write("S", ["A"], [["1"]]);

        new XlsxTableReader(file).Dispose();

        file.CanRead.ShouldBeFalse();
    }

    // ------------------------------------------------------------------ not a workbook

    [Theory]
    [InlineData("csv")]
    [InlineData("html")]
    [InlineData("zip")]
    [InlineData("docx")]
    [InlineData("truncated")]
    public void Constructor_NotAnXlsx_ThrowsSourceFormatException(string kind)
    {
        byte[] bytes = kind switch
        {
            "csv" => Encoding.UTF8.GetBytes("统一社会信用代码,名称\n91110000MA01ABCD1X,甲\n"),
            "html" => Encoding.UTF8.GetBytes("<html><body><table><tr><td>1</td></tr></table></body></html>"),
            "zip" => CreateZip(("readme.txt", "not a workbook")),
            "docx" => CreateDocx(),
            "truncated" => Write("S", ["A"], [["1"]]).ToArray()[..200],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var ex = Should.Throw<SourceFormatException>(() => new XlsxTableReader(new MemoryStream(bytes)));

        ex.MessageZh.ShouldBe("文件不是有效的 Excel (.xlsx) 工作簿；如为旧版 .xls，请另存为 .xlsx");
        ex.MessageEn.ShouldContain(".xlsx");
    }

    [Fact]
    public void Constructor_EmptyStream_ThrowsSourceFormatException()
    {
        var ex = Should.Throw<SourceFormatException>(() => new XlsxTableReader(new MemoryStream()));

        ex.MessageZh.ShouldContain("文件为空");
    }

    [Fact]
    public void Constructor_LegacyXlsBinary_ThrowsAskingToSaveAsXlsx()
    {
        byte[] bytes = CreateCompoundFile("Workbook", "\u0005SummaryInformation");

        var ex = Should.Throw<SourceFormatException>(() => new XlsxTableReader(new MemoryStream(bytes)));

        ex.MessageZh.ShouldContain(".xls");
        ex.MessageZh.ShouldContain("另存为 .xlsx");
        ex.MessageEn.ShouldContain(".xls");
    }

    [Fact]
    public void Constructor_EncryptedWorkbook_ThrowsMentioningPassword()
    {
        // Office stores a password-protected .xlsx as a compound file holding these streams.
        byte[] bytes = CreateCompoundFile("\u0006DataSpaces", "EncryptionInfo", "EncryptedPackage");

        var ex = Should.Throw<SourceFormatException>(() => new XlsxTableReader(new MemoryStream(bytes)));

        ex.MessageZh.ShouldContain("密码");
        ex.MessageEn.ShouldContain("password", Case.Insensitive);
    }

    [Fact]
    public void Constructor_WorkbookWithoutRows_ThrowsNoHeader()
    {
        using MemoryStream file = CreateWorkbook(_ => { });

        var ex = Should.Throw<SourceFormatException>(() => new XlsxTableReader(file));

        ex.MessageZh.ShouldBe("文件没有表头行");
    }

    [Fact]
    public void Constructor_WorkbookWithOnlyBlankRows_ThrowsNoHeader()
    {
        using MemoryStream file = CreateWorkbook(sheetData => sheetData.Append(
            new Row(new Cell { CellReference = "A1", StyleIndex = 0U }) { RowIndex = 1U },
            new Row(InlineText("B2", " ")) { RowIndex = 2U }));

        var ex = Should.Throw<SourceFormatException>(() => new XlsxTableReader(file));

        ex.MessageZh.ShouldBe("文件没有表头行");
    }
}
