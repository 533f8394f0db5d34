using Microsoft.AspNetCore.Authentication.Cookies;
using Xinyong.Data.Platform;
using Xinyong.Web;
using Xinyong.Web.Api;
using Xinyong.Web.Auth;
using Xinyong.Web.Ingestion;
using Xinyong.Web.Public;

// Content root is the build output, so configuration and wwwroot are found whatever the working directory;
// the SQLite database and uploads live under the platform home (see DatabaseOptions.Home).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services.AddXinyongData(builder.Configuration);
// Department files can be large (a year of licences): the upload limit is configuration, not Kestrel's 30 MB default.
var maxUpload = builder.Configuration.GetValue("Uploads:MaxBytes", 2L * 1024 * 1024 * 1024);
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = maxUpload);
builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = maxUpload);
builder.Services.AddProblemDetails();
// Chinese text is written as characters, not as numeric entities: pages are a third of the size and readable in source.
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
builder.Services.AddOpenApi();
builder.Services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/Staff").AllowAnonymousToPage("/Staff/Login"));
builder.Services.AddSingleton<IngestionQueue>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestionQueue>());
builder.Services.AddSingleton<UploadStorage>();
builder.Services.AddSingleton<Xinyong.Web.Checks.CheckQueue>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Xinyong.Web.Checks.CheckQueue>());
builder.Services.AddSingleton<PublicSite>();
builder.Services.AddSingleton<Xinyong.Web.Reports.RazorHtml>();
builder.Services.AddSingleton<Xinyong.Web.Reports.ReportPdfRenderer>();
builder.Services.AddSingleton<Xinyong.Web.Reports.ReportService>();
builder.Services.AddHostedService<SearchIndexRefresher>();
builder.Services.AddHostedService<Xinyong.Web.DueProcess.DueProcessEscalator>();
builder.Services
    .AddAuthentication(StaffAuth.Scheme)
    .AddPolicyScheme(StaffAuth.Scheme, "cookie or token", o => o.ForwardDefaultSelector = ctx =>
        ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? ApiTokenHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
    {
        o.LoginPath = "/staff/login";
        o.Cookie.Name = "xinyong.staff";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.Events.OnRedirectToLogin = ctx =>
        {
            if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            else ctx.Response.Redirect(ctx.RedirectUri);
            return Task.CompletedTask;
        };
        o.Events.OnRedirectToAccessDenied = ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    })
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null);
builder.Services.AddAuthorization();

var app = builder.Build();

await PlatformStartup.InitializeAsync(app);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi();
app.MapGet("/health", HealthApi.Check).WithTags("health");
app.MapSubmissionsApi();
app.MapChecksApi();
app.MapSubjectsApi();
app.MapMeasuresApi();
app.MapCommitmentsApi();
app.MapReferenceApi();
app.MapListsApi();
app.MapListImportsApi();
app.MapReportsApi();
app.MapObjectionsApi();
app.MapRepairApi();
app.MapPublicEndpoints();
app.MapRazorPages();

app.Run();

/// <summary>The web host's entry point; public so that tests can start it.</summary>
public partial class Program;
