using System.Globalization;
using System.IO.Packaging;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Xinyong.Core.Ingestion.Sources;

/// <summary>
/// Writes a single-sheet .xlsx workbook row by row in constant memory (used to hand departments
/// their rejected rows as a spreadsheet).
/// </summary>
/// <remarks>
/// <para>
/// The package is opened write-only, so each part is streamed into the zip as it is written instead
/// of being buffered (DocumentFormat.OpenXml's own package classes insist on read access, which makes
/// the zip layer keep every part in memory). All XML is written with <see cref="OpenXmlWriter"/>.
/// </para>
/// <para>
/// Every value is written as an inline string formatted as Text ("@"), so identifiers such as
/// 18-digit credit codes keep their digits when a clerk edits and re-uploads the file. The header row
/// is bold and frozen; column widths follow the header text. Null or empty cells are left out.
/// Control characters are escaped the way Excel does (_xHHHH_), and values longer than Excel's
/// 32,767-character cell limit are truncated.
/// </para>
/// <para>
/// <see cref="Dispose"/> finishes the workbook; the output stream is left open (it may be a
/// <see cref="MemoryStream"/> the caller rewinds, or a non-seekable response body).
/// </para>
/// </remarks>
public sealed class XlsxTableWriter : IDisposable
{
    /// <summary>Excel's limit on rows per worksheet.</summary>
    public const int MaxRows = 1_048_576;

    /// <summary>Excel's limit on characters per cell.</summary>
    public const int MaxCellLength = 32_767;

    private const string RelationshipNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string XmlNs = "http://www.w3.org/XML/1998/namespace";
    private const int HeaderStyle = 1;
    private const int TextStyle = 2;

    private readonly Package _package;
    private readonly Stream _sheetStream;
    private readonly OpenXmlWriter _writer;
    private readonly List<string> _columnNames = [];
    private readonly int _headerWidth;

    // Reused element instances: OpenXmlWriter.WriteStartElement only reads their names.
    private readonly Row _row = new();
    private readonly Cell _cell = new();
    private readonly InlineString _inline = new();
    private readonly Text _text = new();
    private readonly OpenXmlAttribute[] _rowAttributes = new OpenXmlAttribute[1];
    private readonly OpenXmlAttribute[] _cellAttributes = new OpenXmlAttribute[3];
    private readonly OpenXmlAttribute[] _preserve = [new OpenXmlAttribute("xml", "space", XmlNs, "preserve")];
    private readonly OpenXmlAttribute _inlineType = new("t", string.Empty, "inlineStr");

    private int _rowCount;
    private bool _disposed;

    /// <summary>Starts a workbook with one worksheet and writes its header row.</summary>
    /// <param name="output">Receives the .xlsx; left open by <see cref="Dispose"/>.</param>
    /// <param name="sheetName">Worksheet name; characters Excel forbids are replaced and it is cut to 31 characters.</param>
    /// <param name="header">Column names for row 1.</param>
    public XlsxTableWriter(Stream output, string sheetName, IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        _headerWidth = header.Count;

        // Write-only: ZipArchive in create mode streams each entry; parts must be written one at a time, in order.
        _package = Package.Open(output, FileMode.Create, FileAccess.Write);
        try
        {
            var workbookUri = new Uri("/xl/workbook.xml", UriKind.Relative);
            _package.CreateRelationship(workbookUri, TargetMode.Internal, RelationshipNs + "/officeDocument", "rId1");

            PackagePart workbookPart = _package.CreatePart(
                workbookUri, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", CompressionOption.Normal);
            workbookPart.CreateRelationship(new Uri("worksheets/sheet1.xml", UriKind.Relative), TargetMode.Internal, RelationshipNs + "/worksheet", "rId1");
            workbookPart.CreateRelationship(new Uri("styles.xml", UriKind.Relative), TargetMode.Internal, RelationshipNs + "/styles", "rId2");
            WritePart(workbookPart, new Workbook(
                new BookViews(new WorkbookView()),
                new Sheets(new Sheet { Name = SanitizeSheetName(sheetName), SheetId = 1U, Id = "rId1" })));

            PackagePart stylesPart = _package.CreatePart(
                new Uri("/xl/styles.xml", UriKind.Relative), "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml", CompressionOption.Normal);
            WritePart(stylesPart, CreateStylesheet());

            PackagePart sheetPart = _package.CreatePart(
                new Uri("/xl/worksheets/sheet1.xml", UriKind.Relative), "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml", CompressionOption.Normal);
            _sheetStream = sheetPart.GetStream(FileMode.Create, FileAccess.Write);
            _writer = OpenXmlWriter.Create(_sheetStream);

            _writer.WriteStartElement(new Worksheet());
            _writer.WriteElement(new SheetViews(new SheetView(
                new Pane { VerticalSplit = 1D, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
            { WorkbookViewId = 0U }));
            _writer.WriteElement(new SheetFormatProperties { DefaultRowHeight = 15D });
            if (header.Count > 0)
            {
                var columns = new Columns();
                for (int i = 0; i < header.Count; i++)
                {
                    columns.Append(new Column
                    {
                        Min = (uint)(i + 1),
                        Max = (uint)(i + 1),
                        Width = ColumnWidth(header[i]),
                        CustomWidth = true,
                        Style = TextStyle,
                    });
                }

                _writer.WriteElement(columns);
            }

            _writer.WriteStartElement(new SheetData());
            WriteRowCore(header, HeaderStyle);
        }
        catch
        {
            _writer?.Dispose();
            _sheetStream?.Dispose();
            _package.Close();
            throw;
        }
    }

    /// <summary>Appends a data row; cells beyond the header are written too, null or empty cells are skipped.</summary>
    /// <exception cref="InvalidOperationException">The sheet already holds Excel's maximum of 1,048,576 rows.</exception>
    public void WriteRow(IReadOnlyList<string?> cells)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(cells);
        if (_rowCount >= MaxRows)
        {
            throw new InvalidOperationException($"An Excel worksheet holds at most {MaxRows} rows (header included).");
        }

        WriteRowCore(cells, TextStyle);
    }

    /// <summary>Closes the worksheet and the package, completing the .xlsx in the output stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _writer.WriteEndElement(); // sheetData
            _writer.WriteEndElement(); // worksheet
        }
        finally
        {
            _writer.Dispose();
            _sheetStream.Dispose();
            _package.Close(); // writes the relationships and [Content_Types].xml
        }
    }

    private void WriteRowCore(IReadOnlyList<string?> cells, int style)
    {
        _rowCount++;
        string rowNumber = _rowCount.ToString(CultureInfo.InvariantCulture);
        _rowAttributes[0] = new OpenXmlAttribute("r", string.Empty, rowNumber);
        _writer.WriteStartElement(_row, _rowAttributes);

        string styleText = style.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < cells.Count; i++)
        {
            string? value = cells[i];
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            _cellAttributes[0] = new OpenXmlAttribute("r", string.Empty, ColumnName(i) + rowNumber);
            _cellAttributes[1] = new OpenXmlAttribute("s", string.Empty, styleText);
            _cellAttributes[2] = _inlineType;
            _writer.WriteStartElement(_cell, _cellAttributes);
            _writer.WriteStartElement(_inline);
            if (NeedsSpacePreserve(value))
            {
                _writer.WriteStartElement(_text, _preserve);
            }
            else
            {
                _writer.WriteStartElement(_text);
            }

            _writer.WriteString(EscapeText(value));
            _writer.WriteEndElement(); // t
            _writer.WriteEndElement(); // is
            _writer.WriteEndElement(); // c
        }

        _writer.WriteEndElement(); // row
    }

    private static void WritePart(PackagePart part, OpenXmlElement root)
    {
        using Stream stream = part.GetStream(FileMode.Create, FileAccess.Write);
        using OpenXmlWriter writer = OpenXmlWriter.Create(stream);
        writer.WriteElement(root);
    }

    private static Stylesheet CreateStylesheet() => new(
        new Fonts(
            new Font(new FontSize { Val = 11D }, new FontName { Val = "等线" }, new FontFamilyNumbering { Val = 2 }),
            new Font(new Bold(), new FontSize { Val = 11D }, new FontName { Val = "等线" }, new FontFamilyNumbering { Val = 2 }))
        { Count = 2U },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }))
        { Count = 2U },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()))
        { Count = 1U },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U })
        { Count = 1U },
        new CellFormats(
            new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U },
            new CellFormat { NumberFormatId = 49U, FontId = 1U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyFont = true, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 49U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true })
        { Count = 3U },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0U, BuiltinId = 0U }) { Count = 1U });

    private string ColumnName(int index)
    {
        while (_columnNames.Count <= index)
        {
            int n = _columnNames.Count + 1;
            var sb = new StringBuilder(3);
            while (n > 0)
            {
                int rem = (n - 1) % 26;
                sb.Insert(0, (char)('A' + rem));
                n = (n - 1) / 26;
            }

            _columnNames.Add(sb.ToString());
        }

        return _columnNames[index];
    }

    /// <summary>Column width in Excel character units: CJK and full-width characters count double.</summary>
    private static double ColumnWidth(string? header)
    {
        int units = 0;
        foreach (char ch in header ?? string.Empty)
        {
            units += ch >= 0x1100 && !char.IsLowSurrogate(ch) ? 2 : 1;
        }

        return Math.Clamp(units + 2, 8, 60);
    }

    private static bool NeedsSpacePreserve(string value) =>
        char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) || value.Contains("  ", StringComparison.Ordinal);

    /// <summary>
    /// Makes a value safe for SpreadsheetML text: control characters (and CR, which XML would normalise
    /// away) become Excel's _xHHHH_ escapes, a literal "_xHHHH_" gets its underscore escaped, lone
    /// surrogates become U+FFFD, and the value is cut to Excel's cell limit.
    /// </summary>
    internal static string EscapeText(string value)
    {
        if (value.Length > MaxCellLength)
        {
            int cut = MaxCellLength;
            if (char.IsHighSurrogate(value[cut - 1]))
            {
                cut--;
            }

            value = value[..cut];
        }

        int i = 0;
        for (; i < value.Length; i++)
        {
            if (NeedsEscape(value, i))
            {
                break;
            }
        }

        if (i == value.Length)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 16);
        sb.Append(value, 0, i);
        for (; i < value.Length; i++)
        {
            char ch = value[i];
            if (char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb.Append(ch).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(ch))
            {
                sb.Append('\uFFFD');
            }
            else if ((ch < 0x20 && ch is not ('\t' or '\n')) || ch is '\uFFFE' or '\uFFFF')
            {
                sb.Append("_x").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture)).Append('_');
            }
            else if (ch == '_' && LooksLikeEscape(value, i))
            {
                sb.Append("_x005F_");
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    private static bool NeedsEscape(string value, int i)
    {
        char ch = value[i];
        if (ch < 0x20)
        {
            return ch is not ('\t' or '\n');
        }

        if (char.IsSurrogate(ch))
        {
            return !(char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                && !(char.IsLowSurrogate(ch) && i > 0 && char.IsHighSurrogate(value[i - 1]));
        }

        return ch is '\uFFFE' or '\uFFFF' || (ch == '_' && LooksLikeEscape(value, i));
    }

    private static bool LooksLikeEscape(string value, int i) =>
        i + 6 < value.Length && value[i + 1] == 'x' && value[i + 6] == '_'
        && char.IsAsciiHexDigit(value[i + 2]) && char.IsAsciiHexDigit(value[i + 3])
        && char.IsAsciiHexDigit(value[i + 4]) && char.IsAsciiHexDigit(value[i + 5]);

    /// <summary>Excel sheet names: 1-31 characters, none of : \ / ? * [ ], not starting or ending with an apostrophe.</summary>
    internal static string SanitizeSheetName(string? name)
    {
        var sb = new StringBuilder();
        foreach (char ch in name ?? string.Empty)
        {
            sb.Append(ch is ':' or '\\' or '/' or '?' or '*' or '[' or ']' || char.IsControl(ch) ? '_' : ch);
        }

        string result = sb.ToString().Trim().Trim('\'');
        if (result.Length > 31)
        {
            result = result[..31];
            if (char.IsHighSurrogate(result[^1]))
            {
                result = result[..^1];
            }
        }

        return result.Length == 0 ? "Sheet1" : result;
    }
}
