using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

internal static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Cookie sign-in for the dashboard, API keys for REST and SignalR, roles admin and member.
    /// Every endpoint needs an identity unless it says otherwise (sign-in, <c>/health</c>).
    /// </summary>
    public static IServiceCollection AddWebTrainerAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.AddSingleton<UserStore>();
        services.AddSingleton<BootstrapAdmin>();

        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "API key or cookie", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.KeyOf(context.Request) is null ? AuthSchemes.Cookie : AuthSchemes.ApiKey)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null)
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";
                o.Cookie.Name = "webtrainer";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            });
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Cookie)
            .Configure<Microsoft.Extensions.Options.IOptions<AuthOptions>>((cookie, auth) => cookie.ExpireTimeSpan = auth.Value.SessionLifetime);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AuthSchemes.AdminPolicy, p => p.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>Programs get a status code; only browsers navigating to pages are sent to the sign-in page.</summary>
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/openapi"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
