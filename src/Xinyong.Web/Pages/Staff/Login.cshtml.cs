using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Data.Accounts;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Pages.Staff;

public sealed class LoginModel(AccountStore accounts) : PageModel
{
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password) ? null : await accounts.SignInAsync(Username.Trim(), Password, ct);
        if (user is null)
        {
            Error = HttpContext.T("用户名或密码不正确，或账号已停用。", "Wrong username or password, or the account is disabled.");
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffAuth.ForUser(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/staff");
    }
}
