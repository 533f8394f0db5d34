using QRCoder;
using Xinyong.Core.Reports;

namespace Xinyong.Web.Reports;

/// <summary>What the report template renders: the issued content, its hash, and the verification link and QR code.</summary>
public sealed record ReportDocument(ReportContent Content, string ContentSha256, string VerifyUrl, string QrSvg, string Css)
{
    public static string VerifyLink(string baseUrl, string number, string contentSha256) =>
        $"{baseUrl.TrimEnd('/')}/reports/verify?no={Uri.EscapeDataString(number)}&h={contentSha256}";

    /// <summary>An SVG QR code (error correction M) for the verification link.</summary>
    public static string Qr(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
