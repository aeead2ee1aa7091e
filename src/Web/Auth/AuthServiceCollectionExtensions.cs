using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

internal static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Cookie sign-in for the dashboard, API keys for REST and SignalR, roles admin and member.
    /// Every endpoint needs an identity unless it says otherwise (sign-in, <c>/health</c>).
    /// </summary>
    public static IServiceCollection AddWebTrainerAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.SessionCheckInterval > TimeSpan.Zero, "Auth:SessionCheckInterval must be positive")
            .Validate(o => o.Lockout.MaxFailures >= 1 && o.Lockout.Duration > TimeSpan.Zero, "Auth:Lockout needs MaxFailures >= 1 and a positive Duration")
            .Validate(o => o.LoginAttemptsPerAddress >= 1 && o.LoginAttemptsPerEmail >= 1 && o.LoginWindow > TimeSpan.Zero,
                "Auth:LoginAttemptsPerAddress, LoginAttemptsPerEmail and LoginWindow must be positive")
            .ValidateOnStart();
        services.AddSingleton<IPasswordHasher<string>, PasswordHasher<string>>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<LoginThrottle>();
        services.AddMemoryCache();
        services.AddAntiforgery(o => o.HeaderName = CookieRequestChecks.HeaderName);

        // Cookies and antiforgery tokens are protected with these keys: kept on disk, a restart signs no one out.
        var keys = configuration.GetSection(KeyStorageOptions.SectionName).Get<KeyStorageOptions>() ?? new KeyStorageOptions();
        services.AddDataProtection().SetApplicationName("WebTrainer").PersistKeysToFileSystem(new DirectoryInfo(keys.KeysPath));
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
                o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidateAsync(context);
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
