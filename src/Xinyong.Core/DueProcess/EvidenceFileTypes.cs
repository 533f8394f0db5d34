namespace Xinyong.Core.DueProcess;

/// <summary>A kind of file accepted as evidence of an objection or a repair application.</summary>
public sealed record EvidenceFileType(string Label, string ContentType, IReadOnlyList<string> Extensions);

/// <summary>
/// Which files are accepted as evidence, decided by the name's extension AND the first bytes of the content: a file
/// whose content is not what its extension says (an executable renamed to .pdf, a Word file renamed to .jpg) is refused
/// with a message naming it, so staff never open something other than what the list of evidence shows.
/// </summary>
public static class EvidenceFileTypes
{
    public static readonly EvidenceFileType Pdf = new("PDF", "application/pdf", [".pdf"]);
    public static readonly EvidenceFileType Jpeg = new("JPG", "image/jpeg", [".jpg", ".jpeg"]);
    public static readonly EvidenceFileType Png = new("PNG", "image/png", [".png"]);
    /// <summary>OFD (GB/T 33190), the format of Chinese electronic invoices, payment receipts and official documents: a ZIP package.</summary>
    public static readonly EvidenceFileType Ofd = new("OFD", "application/ofd", [".ofd"]);
    public static readonly EvidenceFileType Docx = new("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"]);

    public static readonly IReadOnlyList<EvidenceFileType> All = [Pdf, Jpeg, Png, Ofd, Docx];

    /// <summary>The accept attribute of a file input: every allowed extension.</summary>
    public static string Accept => string.Join(",", All.SelectMany(t => t.Extensions));

    /// <summary>The file name as stored and shown: no directories, at most 200 characters, never empty.</summary>
    public static string SafeName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        if (name.Length == 0) name = "evidence";
        return name.Length > 200 ? name[..200] : name;
    }

    public static EvidenceFileType? ForName(string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        return All.FirstOrDefault(t => t.Extensions.Contains(ext));
    }

    /// <summary>The type of an evidence file, or a refusal naming the file when its extension is not allowed or its content does not match.</summary>
    public static EvidenceFileType Check(string fileName, ReadOnlySpan<byte> content)
    {
        var name = SafeName(fileName);
        var type = ForName(name) ?? throw new RefusedException("file_type",
            $"文件“{name}”不能作为证明材料：须为 PDF、JPG、PNG、OFD 或 DOCX 文件。",
            $"\"{name}\" cannot be used as evidence: it must be a PDF, JPG, PNG, OFD or DOCX file.", RefusalKind.Invalid);
        if (!ContentMatches(type, content))
        {
            var ext = Path.GetExtension(name).ToLowerInvariant();
            throw new RefusedException("file_content_mismatch",
                $"文件“{name}”的内容不是 {type.Label} 文件，与扩展名“{ext}”不符。请上传原始文件，不要只修改扩展名。",
                $"The content of \"{name}\" is not a {type.Label} file although its name ends in {ext}. Upload the original file instead of renaming it.",
                RefusalKind.Invalid);
        }
        return type;
    }

    /// <summary>Whether the content starts as files of this type do.</summary>
    public static bool ContentMatches(EvidenceFileType type, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type == Pdf)
        {
            // The header may follow a little junk (some scanners write a BOM or blank line); readers look in the first 1 KB.
            return content[..Math.Min(content.Length, 1024)].IndexOf("%PDF-"u8) >= 0;
        }
        if (type == Jpeg) return content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
        if (type == Png) return content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        // DOCX and OFD are ZIP packages; entry names are stored uncompressed, so the package's own manifest is visible.
        if (!content.StartsWith("PK\u0003\u0004"u8)) return false;
        return type == Docx ? content.IndexOf("[Content_Types].xml"u8) >= 0 : type == Ofd && content.IndexOf("OFD.xml"u8) >= 0;
    }
}
