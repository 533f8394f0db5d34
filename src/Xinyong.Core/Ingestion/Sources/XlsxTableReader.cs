using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static Xinyong.Core.Ingestion.Sources.XlsxCellText;

namespace Xinyong.Core.Ingestion.Sources;

/// <summary>
/// Streams the rows of one worksheet of an Excel .xlsx workbook.
/// </summary>
/// <remarks>
/// <para>
/// The package, the workbook, the styles and the shared-string table are opened through
/// DocumentFormat.OpenXml; the worksheet itself is never loaded as a DOM: its part stream is read
/// forward-only (SAX style) with an <see cref="XmlReader"/>, so memory stays flat however many rows
/// the sheet has. Only the shared-string table is held in memory, as a string array.
/// </para>
/// <para>
/// Cell values are rendered as text the way a clerk reads them: numbers in invariant culture without
/// exponent (15 significant digits, as Excel shows them), integers without ".0", dates as
/// "yyyy-MM-dd" (or "yyyy-MM-dd HH:mm:ss" when the value has a time of day), booleans as TRUE/FALSE,
/// formulas as their cached value. Absent cells are null.
/// </para>
/// <para>
/// The header is the first row with any non-blank cell; its width (up to the last non-blank header
/// cell) fixes the width of <see cref="Current"/>. Blank rows are skipped; <see cref="RowNumber"/> is
/// the row number shown in Excel. The reader owns <c>stream</c> and disposes it.
/// </para>
/// </remarks>
public sealed partial class XlsxTableReader : ITableReader
{
    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string StrictMainNs = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    internal const int MaxColumns = 16384;

    private readonly Stream _stream;
    private readonly FileStream? _spool;
    private readonly SpreadsheetDocument _document;
    private readonly string[] _sharedStrings;
    private readonly DateKind[] _styleKinds;
    private readonly bool _date1904;
    private readonly Stream _sheetStream;
    private readonly XmlReader _xml;
    private readonly SheetNames _names;
    private readonly string[] _header;
    private readonly string?[] _current;

    // Row scan state.
    private string?[] _rowBuffer = new string?[32];
    private int _rowBufferUsed;
    private long _lastRowNumber;
    private bool _endOfSheet;
    private long _rowNumber;
    private bool _disposed;

    /// <summary>Opens <paramref name="stream"/> as an .xlsx workbook and reads the header row.</summary>
    /// <param name="stream">The workbook; the reader takes ownership and disposes it.</param>
    /// <param name="sheetName">The worksheet to read (case-insensitive); null for the first visible worksheet.</param>
    /// <exception cref="SourceFormatException">
    /// Not an .xlsx workbook (CSV, legacy .xls, other zip), encrypted, no such sheet, or no header row.
    /// </exception>
    public XlsxTableReader(Stream stream, string? sheetName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        try
        {
            Stream source = stream;
            if (!stream.CanSeek)
            {
                // ZipArchive needs random access; spool to a temporary file rather than to memory.
                _spool = new FileStream(
                    Path.Combine(Path.GetTempPath(), "xinyong-" + Guid.NewGuid().ToString("N") + ".xlsx.tmp"),
                    FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                stream.CopyTo(_spool);
                _spool.Position = 0;
                source = _spool;
            }

            CheckSignature(source);
            _document = OpenDocument(source);

            WorkbookPart workbookPart = _document.WorkbookPart ?? throw NotXlsx(null);
            Workbook workbook;
            try
            {
                workbook = workbookPart.Workbook ?? throw NotXlsx(null);
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                throw NotXlsx(ex);
            }

            _date1904 = workbook.WorkbookProperties?.Date1904?.Value ?? false;
            WorksheetPart sheetPart = SelectSheet(workbookPart, workbook, sheetName);
            _styleKinds = LoadStyleKinds(workbookPart);
            _sharedStrings = LoadSharedStrings(workbookPart.SharedStringTablePart);

            _sheetStream = sheetPart.GetStream(FileMode.Open, FileAccess.Read);
            _xml = XmlReader.Create(_sheetStream, CreateXmlSettings());
            _names = new SheetNames(_xml.NameTable);

            if (!SeekSheetData() || !ReadNonBlankRow(int.MaxValue))
            {
                throw new SourceFormatException("文件没有表头行", "The file has no header row.");
            }

            int width = 0;
            for (int i = 0; i < _rowBufferUsed; i++)
            {
                if (!string.IsNullOrWhiteSpace(_rowBuffer[i]))
                {
                    width = i + 1;
                }
            }

            _header = new string[width];
            for (int i = 0; i < width; i++)
            {
                _header[i] = (_rowBuffer[i] ?? string.Empty).Trim();
            }

            _rowNumber = _lastRowNumber;
            _current = new string?[width];
            _rowBuffer = _current; // data rows are read straight into Current
            _rowBufferUsed = 0;
        }
        catch
        {
            DisposeCore();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Header => _header;

    /// <inheritdoc />
    public IReadOnlyList<string?> Current => _current;

    /// <inheritdoc />
    public long RowNumber => _rowNumber;

    /// <inheritdoc />
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ReadNonBlankRow(_current.Length))
        {
            Array.Clear(_current);
            return false;
        }

        _rowNumber = _lastRowNumber;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeCore();
    }

    private void DisposeCore()
    {
        _xml?.Dispose();
        _sheetStream?.Dispose();
        _document?.Dispose();
        _spool?.Dispose();
        _stream.Dispose();
    }

    private bool SeekSheetData()
    {
        try
        {
            while (_xml.Read())
            {
                if (_xml.NodeType == XmlNodeType.Element && _names.IsMain(_xml, _names.SheetData))
                {
                    if (_xml.IsEmptyElement)
                    {
                        _endOfSheet = true;
                        return false;
                    }

                    return true;
                }
            }
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw NotXlsx(ex);
        }

        _endOfSheet = true;
        return false;
    }

    /// <summary>
    /// Reads rows into <see cref="_rowBuffer"/> until one has a non-blank cell among its first
    /// <paramref name="width"/> columns; false at the end of the sheet data.
    /// </summary>
    private bool ReadNonBlankRow(int width)
    {
        if (_endOfSheet)
        {
            return false;
        }

        try
        {
            while (ReadRow(width))
            {
                for (int i = 0; i < _rowBufferUsed; i++)
                {
                    if (!string.IsNullOrWhiteSpace(_rowBuffer[i]))
                    {
                        return true;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is XmlException or InvalidDataException or IOException
                                       or FormatException or OverflowException)
        {
            throw Corrupt(_lastRowNumber + 1, ex);
        }

        _endOfSheet = true;
        return false;
    }

    /// <summary>Reads the next &lt;row&gt; of sheetData into the row buffer; false at the end.</summary>
    private bool ReadRow(int width)
    {
        XmlReader xml = _xml;
        if (!xml.Read())
        {
            return false;
        }

        // Move to the next <row>, skipping anything else inside sheetData.
        while (true)
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                if (_names.IsMain(xml, _names.Row))
                {
                    break;
                }

                xml.Skip();
            }
            else if (xml.NodeType == XmlNodeType.EndElement && _names.IsMain(xml, _names.SheetData))
            {
                return false;
            }
            else if (!xml.Read())
            {
                return false;
            }

            if (xml.EOF)
            {
                return false;
            }
        }

        // Positioned on <row>.
        Array.Clear(_rowBuffer, 0, _rowBufferUsed);
        _rowBufferUsed = 0;

        string? rowRef = xml.GetAttribute(_names.R);
        _lastRowNumber = rowRef is not null && long.TryParse(rowRef, NumberStyles.None, CultureInfo.InvariantCulture, out long r)
            ? r
            : _lastRowNumber + 1;

        if (xml.IsEmptyElement)
        {
            return true;
        }

        int rowDepth = xml.Depth;
        int column = -1;
        xml.Read();
        while (!(xml.NodeType == XmlNodeType.EndElement && xml.Depth == rowDepth))
        {
            if (xml.NodeType == XmlNodeType.Element && _names.IsMain(xml, _names.C))
            {
                string? cellRef = xml.GetAttribute(_names.R);
                int parsed = cellRef is null ? -1 : ParseColumn(cellRef);
                column = parsed >= 0 ? parsed : column + 1;
                if (column >= width || column >= MaxColumns)
                {
                    xml.Skip();
                    continue;
                }

                string? value = ReadCell(xml);
                if (column >= _rowBuffer.Length)
                {
                    Array.Resize(ref _rowBuffer, Math.Min(MaxColumns, Math.Max(column + 1, _rowBuffer.Length * 2)));
                }

                _rowBuffer[column] = value;
                if (column >= _rowBufferUsed)
                {
                    _rowBufferUsed = column + 1;
                }

                continue;
            }

            if (xml.NodeType == XmlNodeType.Element)
            {
                xml.Skip();
                continue;
            }

            if (!xml.Read())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads one &lt;c&gt; element (positioned on it) and leaves the reader after it.</summary>
    private string? ReadCell(XmlReader xml)
    {
        string? type = xml.GetAttribute(_names.T);
        string? styleText = xml.GetAttribute(_names.S);
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return null;
        }

        int cellDepth = xml.Depth;
        string? raw = null;
        string? inline = null;
        xml.Read();
        while (!(xml.NodeType == XmlNodeType.EndElement && xml.Depth == cellDepth))
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                if (_names.IsMain(xml, _names.V))
                {
                    raw = xml.ReadElementContentAsString();
                    continue;
                }

                if (_names.IsMain(xml, _names.Is))
                {
                    inline = ReadRichText(xml, _names, null);
                    continue;
                }

                xml.Skip();
                continue;
            }

            if (!xml.Read())
            {
                return null;
            }
        }

        xml.Read(); // past </c>

        switch (type)
        {
            case "s":
                if (raw is null)
                {
                    return null;
                }

                int index = int.Parse(raw.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                if ((uint)index >= (uint)_sharedStrings.Length)
                {
                    throw new FormatException($"Shared string index {index} is out of range.");
                }

                return _sharedStrings[index];
            case "inlineStr":
                return inline is not null ? DecodeEscapes(inline) : raw is null ? null : DecodeEscapes(raw);
            case "str":
                return raw is null ? null : DecodeEscapes(raw);
            case "b":
                return raw is null ? null : raw.Trim() is "1" or "true" ? "TRUE" : "FALSE";
            case "e":
                return raw;
            case "d":
                return raw is null ? null : FormatIsoDate(raw);
            default:
                if (raw is null)
                {
                    return inline is null ? null : DecodeEscapes(inline);
                }

                DateKind kind = DateKind.None;
                if (styleText is not null && _styleKinds.Length > 0
                    && int.TryParse(styleText, NumberStyles.None, CultureInfo.InvariantCulture, out int style)
                    && (uint)style < (uint)_styleKinds.Length)
                {
                    kind = _styleKinds[style];
                }

                return kind == DateKind.None ? FormatNumber(raw) : FormatSerialDate(raw, kind, _date1904);
        }
    }

    /// <summary>
    /// Reads the text of an &lt;si&gt; or &lt;is&gt; element (positioned on it): the direct &lt;t&gt; or the
    /// &lt;t&gt; of each rich-text run &lt;r&gt;, ignoring phonetic runs &lt;rPh&gt;. Leaves the reader after it.
    /// </summary>
    private static string ReadRichText(XmlReader xml, SheetNames names, StringBuilder? builder)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return string.Empty;
        }

        int depth = xml.Depth;
        string? first = null;
        StringBuilder? sb = null;
        xml.Read();
        while (!(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                if (names.IsMain(xml, names.T))
                {
                    string piece = xml.ReadElementContentAsString();
                    if (first is null)
                    {
                        first = piece;
                    }
                    else
                    {
                        if (sb is null)
                        {
                            sb = builder ?? new StringBuilder();
                            sb.Clear().Append(first);
                        }

                        sb.Append(piece);
                    }

                    continue;
                }

                if (names.IsMain(xml, names.R))
                {
                    xml.Read(); // descend into the run: its <t> is picked up above, <rPr> skipped below
                    continue;
                }

                xml.Skip(); // rPh, phoneticPr, rPr, ...
                continue;
            }

            if (!xml.Read())
            {
                break;
            }
        }

        xml.Read(); // past the end tag
        return sb?.ToString() ?? first ?? string.Empty;
    }
}
