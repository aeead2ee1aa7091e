using System.Globalization;
using System.Security.Claims;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

internal static class UserPrincipal
{
    public const string SessionClaim = "webtrainer:session";
    public const string StampClaim = "webtrainer:stamp";

    /// <summary>A dashboard sign-in: the identity plus the session and security stamp that <see cref="SessionValidator"/> checks.</summary>
    public static ClaimsPrincipal CreateSession(UserInfo user, Guid session, Guid stamp)
    {
        var principal = Create(user, AuthSchemes.Cookie);
        ((ClaimsIdentity)principal.Identity!).AddClaims(
            [new Claim(SessionClaim, session.ToString()), new Claim(StampClaim, stamp.ToString())]);
        return principal;
    }

    public static Guid? Session(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionClaim), out var id) ? id : null;

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
