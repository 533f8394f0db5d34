using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static Xinyong.Core.Ingestion.Sources.XlsxCellText;

namespace Xinyong.Core.Ingestion.Sources;

/// <summary>
/// Opening a workbook for <see cref="XlsxTableReader"/>: what is clearly not an .xlsx package (CSV, legacy .xls,
/// encrypted files) is refused with a reason a clerk can act on, the sheet is chosen, and the styles (which number
/// formats are dates) and the shared-string table are loaded.
/// </summary>
public sealed partial class XlsxTableReader
{
    private static SourceFormatException NotXlsx(Exception? inner) => new(
        "文件不是有效的 Excel (.xlsx) 工作簿；如为旧版 .xls，请另存为 .xlsx",
        "The file is not a valid Excel (.xlsx) workbook; if it is a legacy .xls file, save it as .xlsx first.",
        inner);

    private static SourceFormatException Corrupt(long nearRow, Exception inner) => new(
        $"Excel 工作簿内容已损坏，无法继续读取（第 {nearRow} 行附近）",
        $"The Excel workbook is corrupt and cannot be read further (near row {nearRow}).",
        inner);

    private static bool IsReadFailure(Exception ex) =>
        ex is not (OutOfMemoryException or StackOverflowException or SourceFormatException);

    /// <summary>Rejects what is clearly not a zip package before handing it to the packaging layer.</summary>
    private static void CheckSignature(Stream source)
    {
        long start = source.Position;
        Span<byte> head = stackalloc byte[8];
        int read = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        source.Position = start;

        if (read == 0)
        {
            throw new SourceFormatException(
                "文件为空，不是有效的 Excel (.xlsx) 工作簿",
                "The file is empty; it is not an Excel (.xlsx) workbook.");
        }

        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K')
        {
            return;
        }

        ReadOnlySpan<byte> cfb = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if (read == 8 && head.SequenceEqual(cfb))
        {
            // An OLE compound file: either a legacy .xls or an encrypted (password-protected) .xlsx,
            // which Office stores as a compound file with an "EncryptedPackage" stream.
            bool encrypted = ContainsUtf16Name(source, "EncryptedPackage");
            source.Position = start;
            if (encrypted)
            {
                throw new SourceFormatException(
                    "Excel 工作簿已加密（设有打开密码），无法读取；请取消密码保护并另存为 .xlsx 后重新上传",
                    "The Excel workbook is encrypted (password-protected) and cannot be read; "
                    + "remove the password, save it as .xlsx and upload it again.");
            }

            throw new SourceFormatException(
                "文件是旧版 Excel 97-2003 (.xls) 格式，不受支持；请在 Excel 中另存为 .xlsx 后重新上传",
                "The file is a legacy Excel 97-2003 (.xls) workbook, which is not supported; "
                + "save it as .xlsx in Excel and upload it again.");
        }

        throw NotXlsx(null);
    }

    /// <summary>Scans a compound file for a directory entry name (stored as UTF-16LE).</summary>
    private static bool ContainsUtf16Name(Stream source, string name)
    {
        byte[] pattern = Encoding.Unicode.GetBytes(name);
        byte[] buffer = new byte[64 * 1024];
        int carry = 0;
        while (true)
        {
            int n = source.Read(buffer, carry, buffer.Length - carry);
            if (n == 0)
            {
                return false;
            }

            int filled = carry + n;
            if (buffer.AsSpan(0, filled).IndexOf(pattern) >= 0)
            {
                return true;
            }

            carry = Math.Min(pattern.Length - 1, filled);
            Buffer.BlockCopy(buffer, filled - carry, buffer, 0, carry);
        }
    }

    private static SpreadsheetDocument OpenDocument(Stream source)
    {
        try
        {
            return SpreadsheetDocument.Open(source, isEditable: false);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw NotXlsx(ex);
        }
    }

    private static WorksheetPart SelectSheet(WorkbookPart workbookPart, Workbook workbook, string? sheetName)
    {
        var sheets = new List<(string Name, bool Visible, WorksheetPart Part)>();
        foreach (Sheet sheet in workbook.Sheets?.Elements<Sheet>() ?? [])
        {
            string? id = sheet.Id?.Value;
            if (id is null)
            {
                continue;
            }

            if (workbookPart.TryGetPartById(id, out OpenXmlPart? part) && part is WorksheetPart worksheetPart)
            {
                bool visible = sheet.State is null || sheet.State.Value == SheetStateValues.Visible;
                sheets.Add((sheet.Name?.Value ?? string.Empty, visible, worksheetPart));
            }
        }

        if (sheets.Count == 0)
        {
            throw new SourceFormatException("Excel 工作簿中没有工作表", "The Excel workbook contains no worksheet.");
        }

        if (sheetName is null)
        {
            foreach (var sheet in sheets)
            {
                if (sheet.Visible)
                {
                    return sheet.Part;
                }
            }

            return sheets[0].Part;
        }

        string wanted = sheetName.Trim();
        foreach (var sheet in sheets)
        {
            if (string.Equals(sheet.Name.Trim(), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return sheet.Part;
            }
        }

        string available = string.Join("、", sheets.Select(s => s.Name));
        throw new SourceFormatException(
            $"Excel 工作簿中没有名为“{wanted}”的工作表；现有工作表：{available}",
            $"The Excel workbook has no worksheet named \"{wanted}\"; it has: {string.Join(", ", sheets.Select(s => s.Name))}.");
    }

    private static XmlReaderSettings CreateXmlSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = false,
    };

    private static DateKind[] LoadStyleKinds(WorkbookPart workbookPart)
    {
        Stylesheet? stylesheet;
        try
        {
            stylesheet = workbookPart.WorkbookStylesPart?.Stylesheet;
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw NotXlsx(ex);
        }

        if (stylesheet?.CellFormats is null)
        {
            return [];
        }

        var custom = new Dictionary<uint, string>();
        foreach (NumberingFormat format in stylesheet.NumberingFormats?.Elements<NumberingFormat>() ?? [])
        {
            if (format.NumberFormatId?.Value is uint id && format.FormatCode?.Value is string code)
            {
                custom[id] = code;
            }
        }

        var kinds = new List<DateKind>();
        foreach (CellFormat xf in stylesheet.CellFormats.Elements<CellFormat>())
        {
            uint id = xf.NumberFormatId?.Value ?? 0;
            kinds.Add(custom.TryGetValue(id, out string? code) ? ClassifyFormatCode(code) : ClassifyBuiltIn(id));
        }

        return [.. kinds];
    }

    private static string[] LoadSharedStrings(SharedStringTablePart? part)
    {
        if (part is null)
        {
            return [];
        }

        try
        {
            using Stream stream = part.GetStream(FileMode.Open, FileAccess.Read);
            using XmlReader xml = XmlReader.Create(stream, CreateXmlSettings());
            var names = new SheetNames(xml.NameTable);
            var strings = new List<string>();
            var text = new StringBuilder();
            while (!xml.EOF)
            {
                if (xml.NodeType == XmlNodeType.Element && names.IsMain(xml, names.Si))
                {
                    strings.Add(DecodeEscapes(ReadRichText(xml, names, text)));
                    continue;
                }

                if (xml.NodeType == XmlNodeType.Element && names.IsMain(xml, names.Sst) && strings.Count == 0
                    && int.TryParse(xml.GetAttribute("uniqueCount"), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
                {
                    strings.Capacity = Math.Min(count, 4_000_000);
                }

                xml.Read();
            }

            return [.. strings];
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw NotXlsx(ex);
        }
    }

    // ---------------------------------------------------------------- rows

    /// <summary>Atomized element and attribute names for reference comparison.</summary>
    private sealed class SheetNames
    {
        public SheetNames(XmlNameTable table)
        {
            Main = table.Add(MainNs);
            Strict = table.Add(StrictMainNs);
            SheetData = table.Add("sheetData");
            Row = table.Add("row");
            C = table.Add("c");
            V = table.Add("v");
            Is = table.Add("is");
            T = table.Add("t");
            R = table.Add("r");
            S = table.Add("s");
            Si = table.Add("si");
            Sst = table.Add("sst");
        }

        public string Main { get; }
        public string Strict { get; }
        public string SheetData { get; }
        public string Row { get; }
        public string C { get; }
        public string V { get; }
        public string Is { get; }
        public string T { get; }
        public string R { get; }
        public string S { get; }
        public string Si { get; }
        public string Sst { get; }

        public bool IsMain(XmlReader xml, string localName) =>
            ReferenceEquals(xml.LocalName, localName)
            && (ReferenceEquals(xml.NamespaceURI, Main) || ReferenceEquals(xml.NamespaceURI, Strict));
    }
}
