using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace WebTrainer.Web.Auth;

/// <summary>
/// What a browser's cookie must not be used for by another site. State-changing requests under <c>/api</c>
/// and <c>/auth</c> signed in by cookie carry an antiforgery token (header <c>X-CSRF-TOKEN</c> or form field);
/// the jobs hub refuses cookie connections from pages of other origins. Requests with an API key carry no
/// ambient credential and pass; anonymous ones are left to authorization (401).
/// </summary>
internal static class CookieRequestChecks
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public static IApplicationBuilder UseCookieRequestChecks(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (ApiKeyAuthenticationHandler.KeyOf(request) is null)
        {
            if (request.Path.StartsWithSegments("/hubs") && !OriginAllowed(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            if (context.User.Identity?.IsAuthenticated == true && ChangesState(request)
                && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                await Results.Problem("missing or invalid antiforgery token: send the token of GET /api/auth/antiforgery " +
                    $"in header {HeaderName}, or use an API key", statusCode: StatusCodes.Status400BadRequest,
                    title: "missing or invalid antiforgery token").ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    });

    private static bool ChangesState(HttpRequest request) =>
        (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/auth"))
        && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    /// <summary>No Origin (a program, not a page) or the server's own; others only when configured.</summary>
    private static bool OriginAllowed(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.AllowedOrigins
                .Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
