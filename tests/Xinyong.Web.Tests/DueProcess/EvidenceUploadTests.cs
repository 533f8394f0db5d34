using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xinyong.Data.DueProcess;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Web.Tests.Infrastructure;

namespace Xinyong.Web.Tests.DueProcess;

/// <summary>Evidence whose content does not match its extension is refused, naming the file, before anything is stored.</summary>
public sealed class EvidenceUploadTests
{
    private static readonly byte[] Pdf = "%PDF-1.4\n% receipt 3205830000123\n"u8.ToArray();
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D];

    private static FakeClock Clock() => new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)));

    private static MultipartFormDataContent Files(params (string Name, byte[] Content, string Type)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content, type) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "files", name);
        }
        return form;
    }

    [Theory, DatabaseProviders]
    public async Task PublicEvidence_PngRenamedToPdf_Is400NamingTheFile_AndNothingIsStored(string provider)
    {
        await using var host = await WebHost.StartAsync(provider, clock: Clock());
        var (old, _, _) = await DueProcessApiTests.LoadAsync(host);
        var anonymous = host.CreateClient();
        var applied = await anonymous.PostAsJsonAsync("/api/v1/public/repairs", DueProcessApiTests.Application(DueProcessApiTests.Codes[0], old));
        applied.StatusCode.ShouldBe(HttpStatusCode.Created, await applied.Content.ReadAsStringAsync());
        var application = JsonDocument.Parse(await applied.Content.ReadAsStringAsync()).RootElement;
        var reference = application.GetProperty("reference").GetString();
        var id = application.GetProperty("id").GetInt64();
        var url = $"/api/v1/public/cases/{reference}/evidence?phone=0512-57001234";

        var refused = await anonymous.PostAsync(url, Files(("缴款凭证.pdf", Pdf, "application/pdf"), ("银行回单.pdf", Png, "application/pdf")));

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("code").GetString().ShouldBe("file_content_mismatch");
        problem.GetProperty("detailZh").GetString()!.ShouldContain("文件“银行回单.pdf”的内容不是 PDF 文件");
        problem.GetProperty("detailEn").GetString()!.ShouldContain("银行回单.pdf");
        (await host.Get<CaseFiles>().EvidenceAsync(CaseKinds.Repair, id)).ShouldBeEmpty("the good file of a refused upload is not stored either");

        var accepted = await anonymous.PostAsync(url, Files(("缴款凭证.pdf", Pdf, "application/pdf"), ("银行回单.png", Png, "image/png")));
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        (await host.Get<CaseFiles>().EvidenceAsync(CaseKinds.Repair, id)).Select(e => (e.FileName, e.ContentType))
            .ShouldBe([("缴款凭证.pdf", "application/pdf"), ("银行回单.png", "image/png")]);
    }

    [Fact]
    public async Task RepairForm_FileNotMatchingItsExtension_IsShownOnTheForm_AndNoApplicationIsFiled()
    {
        await using var host = await WebHost.StartAsync(clock: Clock());
        var (old, _, subject) = await DueProcessApiTests.LoadAsync(host);
        var browser = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var page = await browser.GetStringAsync($"/subjects/{subject}/repair?record={old}");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        token.ShouldNotBeEmpty();
        var form = Files(("缴款凭证.jpg", Pdf, "image/jpeg"));
        foreach (var (k, v) in new Dictionary<string, string>
                 {
                     ["__RequestVerificationToken"] = token, ["Code"] = DueProcessApiTests.Codes[0], ["ContactName"] = "陈经理", ["ContactPhone"] = "0512-57001234",
                     ["ObligationsPerformed"] = "true", ["ObligationsNote"] = "罚款已缴清", ["CommitmentText"] = "本单位承诺诚信经营。", ["CommitmentMade"] = "true",
                 })
            form.Add(new StringContent(v), k);

        var r = await browser.PostAsync($"/subjects/{subject}/repair?record={old}", form);

        var html = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        System.Net.WebUtility.HtmlDecode(html).ShouldContain("文件“缴款凭证.jpg”的内容不是 JPG 文件");
        html.ShouldNotContain("class=\"done\"");
        (await host.Get<Xinyong.Data.Repair.RepairStore>().OutlookAsync(old))!.OpenNow.ShouldBeFalse("no application may be filed without its evidence");
    }
}
