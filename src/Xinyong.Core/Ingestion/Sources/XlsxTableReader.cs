using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

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
public sealed class XlsxTableReader : ITableReader
{
    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string StrictMainNs = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    private const int MaxColumns = 16384;

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

    // ---------------------------------------------------------------- opening

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

    /// <summary>Zero-based column index of a reference like "AB12"; -1 when it has no letters.</summary>
    private static int ParseColumn(string reference)
    {
        int column = 0;
        int i = 0;
        for (; i < reference.Length; i++)
        {
            char ch = reference[i];
            if (ch is >= 'A' and <= 'Z')
            {
                column = (column * 26) + (ch - 'A' + 1);
            }
            else if (ch is >= 'a' and <= 'z')
            {
                column = (column * 26) + (ch - 'a' + 1);
            }
            else
            {
                break;
            }

            if (column > MaxColumns)
            {
                return MaxColumns;
            }
        }

        return i == 0 ? -1 : column - 1;
    }

    // ---------------------------------------------------------------- values

    /// <summary>Decodes the ST_Xstring escapes "_xHHHH_" Excel uses for control characters.</summary>
    internal static string DecodeEscapes(string value)
    {
        int at = value.IndexOf("_x", StringComparison.Ordinal);
        if (at < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, at);
        int i = at;
        while (i < value.Length)
        {
            if (value[i] == '_' && i + 6 < value.Length && value[i + 1] == 'x' && value[i + 6] == '_'
                && ushort.TryParse(value.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
            {
                sb.Append((char)code);
                i += 7;
            }
            else
            {
                sb.Append(value[i]);
                i++;
            }
        }

        return sb.ToString();
    }

    /// <summary>Renders a stored number as text: invariant culture, no exponent, at most 15 significant digits.</summary>
    internal static string FormatNumber(string raw)
    {
        ReadOnlySpan<char> span = raw.AsSpan().Trim();
        if (IsPlainInteger(span))
        {
            return span.Length == raw.Length ? raw : span.ToString();
        }

        if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value))
        {
            return raw;
        }

        if (value == 0)
        {
            return "0";
        }

        double abs = Math.Abs(value);
        if (abs is >= 1e-9 and < 1e28)
        {
            // The double -> decimal conversion rounds to 15 significant digits, which is what Excel displays.
            return ((decimal)value).ToString("0.############################", CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static bool IsPlainInteger(ReadOnlySpan<char> span)
    {
        int start = span.Length > 0 && span[0] == '-' ? 1 : 0;
        if (span.Length == start || span.Length - start > 28)
        {
            return false;
        }

        if (span[start] == '0' && span.Length - start > 1)
        {
            return false; // leading zeros: let the general path normalise
        }

        for (int i = start; i < span.Length; i++)
        {
            if (span[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return !(start == 1 && span.Length == 2 && span[1] == '0');
    }

    private static string FormatSerialDate(string raw, DateKind kind, bool date1904)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double serial)
            || !double.IsFinite(serial) || serial < 0 || serial >= 2958466)
        {
            return FormatNumber(raw);
        }

        long totalSeconds = (long)Math.Round(serial * 86400.0, MidpointRounding.AwayFromZero);
        long days = totalSeconds / 86400;
        long seconds = totalSeconds % 86400;

        if (kind == DateKind.Time && days == 0)
        {
            return TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        }

        DateTime epoch = date1904
            ? new DateTime(1904, 1, 1, 0, 0, 0, DateTimeKind.Unspecified)
            // 1900 system: serial 1 is 1900-01-01, and Excel counts a non-existent 1900-02-29 (serial 60).
            : days < 61
                ? new DateTime(1899, 12, 31, 0, 0, 0, DateTimeKind.Unspecified)
                : new DateTime(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);

        DateTime date = epoch.AddDays(days);
        if (date.Year > 9999)
        {
            return FormatNumber(raw);
        }

        if (kind == DateKind.Date || seconds == 0)
        {
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return date.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    private static string FormatIsoDate(string raw)
    {
        string text = raw.Trim();
        if (TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"hh\:mm\:ss\.FFFFFFF", @"hh\:mm"], CultureInfo.InvariantCulture, out TimeSpan time)
            && !text.Contains('-', StringComparison.Ordinal))
        {
            return time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime value))
        {
            return value.TimeOfDay == TimeSpan.Zero
                ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return raw;
    }

    // ---------------------------------------------------------------- number formats

    internal enum DateKind : byte
    {
        None,
        Date,
        DateTime,
        Time,
    }

    internal static DateKind ClassifyBuiltIn(uint id) => id switch
    {
        >= 14 and <= 17 => DateKind.Date,
        22 => DateKind.DateTime,
        >= 18 and <= 21 or 45 or 47 => DateKind.Time,
        46 => DateKind.None, // [h]:mm:ss is a duration, not a point in time
        // Locale-dependent built-ins: in zh-CN these are 年/月/日 dates and 时/分/秒 times.
        >= 27 and <= 31 or 36 or >= 50 and <= 54 or 57 or 58 => DateKind.Date,
        >= 32 and <= 35 or 55 or 56 => DateKind.Time,
        _ => DateKind.None,
    };

    /// <summary>Classifies a custom number format code by the date/time tokens of its first section.</summary>
    internal static DateKind ClassifyFormatCode(string code)
    {
        bool date = false, time = false, month = false;
        for (int i = 0; i < code.Length; i++)
        {
            char ch = code[i];
            switch (ch)
            {
                case ';':
                    i = code.Length; // only the first (positive) section matters
                    break;
                case '"':
                    int close = code.IndexOf('"', i + 1);
                    i = close < 0 ? code.Length : close;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case '[':
                    int end = code.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        i = code.Length;
                        break;
                    }

                    ReadOnlySpan<char> inside = code.AsSpan(i + 1, end - i - 1);
                    if (IsElapsedToken(inside))
                    {
                        return DateKind.None; // [h]:mm etc. is a duration
                    }

                    i = end;
                    break;
                case 'G' or 'g' when string.Compare(code, i, "General", 0, 7, StringComparison.OrdinalIgnoreCase) == 0:
                    i += 6;
                    break;
                case 'E' or 'e' when i + 1 < code.Length && code[i + 1] is '+' or '-':
                    i++; // scientific exponent
                    break;
                case 'y' or 'Y' or 'd' or 'D' or 'e' or 'E' or 'g' or 'G':
                    date = true;
                    break;
                case 'h' or 'H' or 's' or 'S':
                    time = true;
                    break;
                case 'm' or 'M':
                    month = true;
                    break;
                case 'A' or 'a' when string.Compare(code, i, "AM/PM", 0, 5, StringComparison.OrdinalIgnoreCase) == 0
                                     || string.Compare(code, i, "A/P", 0, 3, StringComparison.OrdinalIgnoreCase) == 0:
                    time = true;
                    i += code[i + 1] == '/' ? 2 : 4;
                    break;
                case 'a' or 'A':
                    date = true; // "aaa"/"aaaa": weekday name in CJK formats
                    break;
            }
        }

        if (month && !time)
        {
            date = true; // "mmm", "m/d": m is the month unless next to hours/seconds
        }

        return date && time ? DateKind.DateTime : date ? DateKind.Date : time ? DateKind.Time : DateKind.None;
    }

    private static bool IsElapsedToken(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return false;
        }

        char first = char.ToLowerInvariant(token[0]);
        if (first is not ('h' or 'm' or 's'))
        {
            return false;
        }

        foreach (char ch in token)
        {
            if (char.ToLowerInvariant(ch) != first)
            {
                return false;
            }
        }

        return true;
    }

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
