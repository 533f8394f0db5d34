using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Core.Tests.Ingestion;

/// <summary>Workbooks built for the .xlsx tests: written by the platform's writer, built as OpenXml DOMs, or not workbooks at all.</summary>
internal static class XlsxTestWorkbooks
{
    internal static List<(long Row, string?[] Cells)> ReadAll(XlsxTableReader reader)
    {
        var rows = new List<(long, string?[])>();
        while (reader.Read())
        {
            rows.Add((reader.RowNumber, reader.Current.ToArray()));
        }

        return rows;
    }

    internal static MemoryStream Write(string sheetName, string[] header, string?[][] rows)
    {
        var buffer = new MemoryStream();
        using (var writer = new XlsxTableWriter(buffer, sheetName, header))
        {
            foreach (string?[] row in rows)
            {
                writer.WriteRow(row);
            }
        }

        buffer.Position = 0;
        return buffer;
    }

    internal static MemoryStream CreateWorkbook(
        Action<SheetData> fill,
        SharedStringItem[]? sharedStrings = null,
        Stylesheet? styles = null,
        bool date1904 = false)
    {
        var buffer = new MemoryStream();
        using (SpreadsheetDocument document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            WorkbookPart workbookPart = document.AddWorkbookPart();
            WorksheetPart worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
            var sheetData = new SheetData();
            fill(sheetData);
            worksheetPart.Worksheet = new Worksheet(sheetData);

            if (sharedStrings is not null)
            {
                workbookPart.AddNewPart<SharedStringTablePart>().SharedStringTable =
                    new SharedStringTable(sharedStrings) { Count = (uint)sharedStrings.Length, UniqueCount = (uint)sharedStrings.Length };
            }

            if (styles is not null)
            {
                workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = styles;
            }

            var workbook = new Workbook();
            if (date1904)
            {
                workbook.Append(new WorkbookProperties { Date1904 = true });
            }

            workbook.Append(new Sheets(new Sheet { Name = "Sheet1", SheetId = 1U, Id = workbookPart.GetIdOfPart(worksheetPart) }));
            workbookPart.Workbook = workbook;
        }

        buffer.Position = 0;
        return buffer;
    }

    internal static MemoryStream CreateMultiSheetWorkbook(params (string Name, bool Hidden, string A1)[] sheets)
    {
        var buffer = new MemoryStream();
        using (SpreadsheetDocument document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            WorkbookPart workbookPart = document.AddWorkbookPart();
            var sheetList = new Sheets();
            uint id = 1;
            foreach (var (name, hidden, a1) in sheets)
            {
                WorksheetPart worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
                worksheetPart.Worksheet = new Worksheet(new SheetData(new Row(InlineText("A1", a1)) { RowIndex = 1U }));
                var sheet = new Sheet { Name = name, SheetId = id++, Id = workbookPart.GetIdOfPart(worksheetPart) };
                if (hidden)
                {
                    sheet.State = SheetStateValues.Hidden;
                }

                sheetList.Append(sheet);
            }

            workbookPart.Workbook = new Workbook(sheetList);
        }

        buffer.Position = 0;
        return buffer;
    }

    internal static Stylesheet CreateStyles((uint Id, string Code)[] customFormats, uint[] cellFormatIds)
    {
        var stylesheet = new Stylesheet();
        if (customFormats.Length > 0)
        {
            stylesheet.Append(new NumberingFormats(customFormats.Select(f => new NumberingFormat { NumberFormatId = f.Id, FormatCode = f.Code }))
            { Count = (uint)customFormats.Length });
        }

        stylesheet.Append(
            new Fonts(new Font()) { Count = 1U },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None })) { Count = 1U },
            new Borders(new Border()) { Count = 1U },
            new CellFormats(cellFormatIds.Select(id => new CellFormat { NumberFormatId = id, ApplyNumberFormat = id != 0 }))
            { Count = (uint)cellFormatIds.Length });
        return stylesheet;
    }

    internal static Cell Str(string reference, int index) =>
        new() { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index.ToString(CultureInfo.InvariantCulture)) };

    internal static Cell Num(string reference, string raw, uint? style = null)
    {
        var cell = new Cell { CellReference = reference, CellValue = new CellValue(raw) };
        if (style is uint s)
        {
            cell.StyleIndex = s;
        }

        return cell;
    }

    internal static Cell InlineText(string? reference, string text)
    {
        var cell = new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }) };
        if (reference is not null)
        {
            cell.CellReference = reference;
        }

        return cell;
    }

    internal static Cell InlineRich(string reference, params Run[] runs) =>
        new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(runs) };

    internal static byte[] CreateZip(params (string Name, string Content)[] entries)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    internal static byte[] CreateDocx()
    {
        var buffer = new MemoryStream();
        using (WordprocessingDocument document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            document.AddMainDocumentPart().Document = new DocumentFormat.OpenXml.Wordprocessing.Document(new DocumentFormat.OpenXml.Wordprocessing.Body());
        }

        return buffer.ToArray();
    }

    /// <summary>A minimal stand-in for an OLE compound file: its signature plus UTF-16 directory names.</summary>
    internal static byte[] CreateCompoundFile(params string[] streamNames)
    {
        var bytes = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        int offset = 1024;
        foreach (string name in streamNames.Prepend("Root Entry"))
        {
            Encoding.Unicode.GetBytes(name).CopyTo(bytes, offset);
            offset += 128;
        }

        return bytes;
    }

    internal sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
