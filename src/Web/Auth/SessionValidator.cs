using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace WebTrainer.Web.Auth;

/// <summary>
/// The cookie's <c>OnValidatePrincipal</c>: a session is trusted for <see cref="AuthOptions.SessionCheckInterval"/>,
/// then the database is asked whether it was revoked, its user disabled or their password changed.
/// Logging out forgets the session here too, so this Web refuses it at once.
/// </summary>
internal sealed class SessionValidator(SessionStore sessions, IMemoryCache cache, IOptions<AuthOptions> options)
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var session = principal?.Session();
        if (principal is null || session is null || !Guid.TryParse(principal.FindFirstValue(UserPrincipal.StampClaim), out var stamp))
        {
            await RejectAsync(context); // a cookie from before sessions existed
            return;
        }
        var key = CacheKey(session.Value);
        if (cache.TryGetValue(key, out _))
        {
            return;
        }
        if (await sessions.IsValidAsync(session.Value, principal.Id(), stamp, context.HttpContext.RequestAborted))
        {
            cache.Set(key, true, options.Value.SessionCheckInterval);
            return;
        }
        await RejectAsync(context);
    }

    public async Task EndAsync(Guid session, CancellationToken cancellationToken)
    {
        cache.Remove(CacheKey(session));
        await sessions.RevokeAsync(session, cancellationToken);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
    }

    private static string CacheKey(Guid session) => $"session:{session}";
}
