using System.Globalization;
using System.Security.Claims;
using Xinyong.Core.Auditing;
using Xinyong.Data.Accounts;

namespace Xinyong.Web.Auth;

/// <summary>Claims of a signed-in person or a department system, and the actor every write is attributed to.</summary>
public static class StaffAuth
{
    public const string Scheme = "staff";
    public const string DepartmentClaim = "xinyong:department";
    public const string ActorKindClaim = "xinyong:actor_kind";

    public static ClaimsPrincipal ForUser(StaffUser user, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Username),
            new(ClaimTypes.GivenName, user.DisplayName),
            new(ClaimTypes.Role, user.Role),
            new(ActorKindClaim, "user"),
        };
        if (user.DepartmentId is { } d) claims.Add(new Claim(DepartmentClaim, d.ToString(CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    public static ClaimsPrincipal ForToken(ApiTokenInfo token, string authenticationType) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, $"{token.Name} ({token.Prefix}…)"),
        new Claim(ClaimTypes.Role, "system"),
        new Claim(ActorKindClaim, "token"),
        new Claim(DepartmentClaim, token.DepartmentId.ToString(CultureInfo.InvariantCulture)),
    ], authenticationType));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    public static long? DepartmentId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(DepartmentClaim), CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.GivenName) ?? user.Identity?.Name ?? "";

    /// <summary>The actor a write by this principal is attributed to.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ActorKindClaim) == "token" ? ActorKind.ApiToken : ActorKind.User,
        user.Identity?.Name ?? "anonymous",
        user.DepartmentId());

    /// <summary>Administrators see every department; officers and systems only their own.</summary>
    public static bool CanAccessDepartment(this ClaimsPrincipal user, long departmentId) => user.IsAdmin() || user.DepartmentId() == departmentId;
}
