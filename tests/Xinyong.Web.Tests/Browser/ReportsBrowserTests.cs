using Microsoft.Playwright;
using Xinyong.Data.Platform;
using Xinyong.Web.Tests.Reports;

namespace Xinyong.Web.Tests.Browser;

public sealed class ReportsBrowserTests
{
    [Fact]
    public async Task Subject_RequestsReport_OfficeIssues_RecipientVerifiesByQrLinkAndUpload()
    {
        await using var host = await ReportFixture.StartAsync(kestrel: true);
        var baseUrl = host.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var desktop = new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } };
        var phone = new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true };

        // The subject asks online.
        var citizen = await browser.NewPageAsync(desktop);
        await citizen.GotoAsync(baseUrl + "/reports/request");
        await citizen.GetByLabel("统一社会信用代码").FillAsync(ReportFixture.Codes[0]);
        await citizen.GetByLabel("申请人姓名").FillAsync("赵六");
        await citizen.GetByLabel("联系方式（手机号或电子邮箱）").FillAsync("13912345678");
        await citizen.GetByLabel("报告用途").FillAsync("参加政府采购投标");
        await Chromium.ShotAsync(citizen, "reports-01-request-form");
        await citizen.Locator("#submit").ClickAsync();
        var reference = await citizen.Locator("#reference").InnerTextAsync();
        reference.ShouldStartWith("SQ");
        await Chromium.ShotAsync(citizen, "reports-02-request-received");
        var statusUrl = await citizen.Locator("#status-link").GetAttributeAsync("href");

        // The credit office issues it from the queue.
        var office = await browser.NewPageAsync(desktop);
        await office.GotoAsync(baseUrl + "/staff/login");
        await office.GetByLabel("用户名").FillAsync(PlatformSetup.DemoAdminUser);
        await office.GetByLabel("密码").FillAsync(PlatformSetup.DemoAdminPassword);
        await office.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Chromium.WaitForUrlAsync(office, baseUrl + "/staff");
        await office.GotoAsync(baseUrl + "/staff/reports");
        (await office.Locator("#queue").InnerTextAsync()).ShouldContain(ReportFixture.Company);
        await Chromium.ShotAsync(office, "reports-03-staff-queue");
        // Issuing renders the PDF in Chromium before the page answers: allow for a loaded machine.
        await office.Locator("#queue button.issue").First.ClickAsync(new() { Timeout = 180_000 });
        (await office.Locator("#message").InnerTextAsync(new() { Timeout = 180_000 })).ShouldContain("已出具报告 XY-");
        await Chromium.ShotAsync(office, "reports-04-staff-issued");
        await office.GotoAsync(baseUrl + "/staff/reports/statistics?Period=Day");
        (await office.Locator("#totals").InnerTextAsync()).ShouldContain("出具报告 1 份");
        await Chromium.ShotAsync(office, "reports-05-staff-statistics");

        // The subject follows the request and opens the report.
        await citizen.GotoAsync(baseUrl + statusUrl);
        (await citizen.Locator("#status").InnerTextAsync()).ShouldBe("已出具");
        await citizen.Locator("#view").ClickAsync();
        (await citizen.Locator("h1").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ShouldBe("公共信用信息报告");
        (await citizen.Locator("#penalties h2").InnerTextAsync()).ShouldContain("（2 条）");
        await Chromium.ShotAsync(citizen, "reports-06-report-desktop");
        var reportUrl = citizen.Url;
        var mobile = await browser.NewPageAsync(phone);
        await mobile.GotoAsync(reportUrl);
        (await mobile.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1")).ShouldBeTrue();
        await Chromium.ShotAsync(mobile, "reports-07-report-phone");

        // The recipient follows the QR link, then uploads the PDF.
        var qrUrl = new Uri(await host.Get<Xinyong.Data.Reports.ReportStore>().QueueAsync(Core.Reports.ReportRequestStatus.Issued) is { Count: 1 } issued
            ? baseUrl + $"/reports/verify?no={issued[0].ReportNumber}&h={(await host.Get<Xinyong.Data.Reports.ReportStore>().GetAsync(issued[0].ReportNumber!))!.ContentSha256}"
            : throw new InvalidOperationException("one report expected"));
        var recipient = await browser.NewPageAsync(phone);
        await recipient.GotoAsync(qrUrl.ToString());
        (await recipient.Locator("#verdict").InnerTextAsync()).ShouldContain("核验通过");
        await Chromium.ShotAsync(recipient, "reports-08-verify-phone");
        var pdfHref = await citizen.Locator("nav.screen-bar a").First.GetAttributeAsync("href");
        var pdf = await (await citizen.APIRequest.GetAsync(baseUrl + pdfHref)).BodyAsync();
        var path = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var checker = await browser.NewPageAsync(desktop);
            await checker.GotoAsync(baseUrl + "/reports/verify");
            await checker.Locator("#file").SetInputFilesAsync(path);
            await checker.Locator("#verify-file").ClickAsync();
            (await checker.Locator("#verdict").GetAttributeAsync("data-outcome")).ShouldBe("Authentic");
            await Chromium.ShotAsync(checker, "reports-09-verify-upload-desktop");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
