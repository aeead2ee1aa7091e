using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WebTrainer.Web.Auth;

/// <summary>
/// Authenticates scripts and SignalR clients by API key: the <c>X-Api-Key</c> header,
/// <c>Authorization: Bearer wt_…</c>, or (WebSockets cannot send headers) <c>access_token</c> on hub requests.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserStore users) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static string? KeyOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue(AuthSchemes.ApiKeyHeader, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token))
        {
            return token.ToString();
        }
        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = KeyOf(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }
        var user = await users.FindByApiKeyAsync(key, Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked, or its account is disabled.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(UserPrincipal.Create(user, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{AuthSchemes.ApiKeyHeader}\"";
        return Task.CompletedTask;
    }
}
