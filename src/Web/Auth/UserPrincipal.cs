using System.Globalization;
using System.Security.Claims;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

internal static class UserPrincipal
{
    public static ClaimsPrincipal Create(UserInfo user, string scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Email),
        new Claim(ClaimTypes.Role, user.Role),
    ], scheme, ClaimTypes.Name, ClaimTypes.Role));

    public static long Id(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("not signed in"), CultureInfo.InvariantCulture);

    public static string Email(this ClaimsPrincipal user) => user.Identity?.Name ?? throw new InvalidOperationException("not signed in");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>Members see the team's jobs but change only their own; admins change all.</summary>
    public static bool CanManageJobOf(this ClaimsPrincipal user, string owner) =>
        user.IsAdmin() || string.Equals(user.Identity?.Name, owner, StringComparison.OrdinalIgnoreCase);
}
