using System.IO.Compression;
using System.Text;
using Xinyong.Core.DueProcess;

namespace Xinyong.Core.Tests.DueProcess;

public sealed class EvidenceFileTypesTests
{
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"u8.ToArray();
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00];
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
    private static readonly byte[] Exe = [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00];
    private static readonly byte[] Docx = Zip("[Content_Types].xml", "word/document.xml");
    private static readonly byte[] Ofd = Zip("OFD.xml", "Doc_0/Document.xml");
    private static readonly byte[] PlainZip = Zip("readme.txt");

    private static byte[] Zip(params string[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                using var w = new StreamWriter(zip.CreateEntry(e).Open(), Encoding.UTF8);
                w.Write("<x/>");
            }
        }
        return ms.ToArray();
    }

    public static TheoryData<string, byte[], string> Genuine => new()
    {
        { "缴款凭证.pdf", Pdf, "application/pdf" },
        { "现场照片.JPG", Jpeg, "image/jpeg" },
        { "现场照片.jpeg", Jpeg, "image/jpeg" },
        { "整改截图.png", Png, "image/png" },
        { "电子缴款书.ofd", Ofd, "application/ofd" },
        { "整改报告.docx", Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        // Some scanners write a line before the PDF header; PDF readers accept it, so do we.
        { "扫描件.pdf", [.. "\r\n"u8, .. Pdf], "application/pdf" },
    };

    [Theory, MemberData(nameof(Genuine))]
    public void Check_ContentMatchingItsExtension_GivesTheType(string name, byte[] content, string contentType) =>
        EvidenceFileTypes.Check(name, content).ContentType.ShouldBe(contentType);

    public static TheoryData<string, byte[], string> Disguised => new()
    {
        { "缴款凭证.pdf", Exe, "PDF" },
        { "缴款凭证.pdf", Png, "PDF" },
        { "现场照片.jpg", Png, "JPG" },
        { "整改截图.png", Jpeg, "PNG" },
        { "整改报告.docx", PlainZip, "DOCX" },
        { "整改报告.docx", Ofd, "DOCX" },
        { "电子缴款书.ofd", Docx, "OFD" },
        { "电子缴款书.ofd", Pdf, "OFD" },
    };

    [Theory, MemberData(nameof(Disguised))]
    public void Check_ContentNotMatchingItsExtension_IsRefusedNamingTheFile(string name, byte[] content, string label)
    {
        var e = Should.Throw<RefusedException>(() => EvidenceFileTypes.Check(name, content));
        e.Code.ShouldBe("file_content_mismatch");
        e.Kind.ShouldBe(RefusalKind.Invalid);
        e.Zh.ShouldContain($"“{name}”");
        e.Zh.ShouldContain($"不是 {label} 文件");
        e.En.ShouldContain(name);
    }

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("报告.doc")]
    [InlineData("无扩展名")]
    public void Check_ExtensionNotAllowed_IsRefusedNamingTheFile(string name)
    {
        var e = Should.Throw<RefusedException>(() => EvidenceFileTypes.Check(name, Pdf));
        e.Code.ShouldBe("file_type");
        e.Zh.ShouldContain($"“{name}”");
    }

    [Fact]
    public void SafeName_DropsDirectoriesOfEitherSlash() =>
        (EvidenceFileTypes.SafeName("..\\..\\windows\\凭证.pdf"), EvidenceFileTypes.SafeName("../凭证.pdf"), EvidenceFileTypes.SafeName("  ")).ShouldBe(("凭证.pdf", "凭证.pdf", "evidence"));
}
