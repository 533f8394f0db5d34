using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Xinyong.Data.Accounts;

namespace Xinyong.Web.Auth;

/// <summary>Authenticates department systems by "Authorization: Bearer xy_…" tokens.</summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = await accounts.ValidateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        return token is null
            ? AuthenticateResult.Fail("invalid or revoked token")
            : AuthenticateResult.Success(new AuthenticationTicket(StaffAuth.ForToken(token, SchemeName), SchemeName));
    }
}
