using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WebTrainer.Web.Auth;

/// <summary>
/// The OpenAPI document says how to authenticate: an API key in <c>X-Api-Key</c> (scripts) or the dashboard's
/// cookie (which also needs the antiforgery header on changes). Every operation needs one of them unless it
/// allows anonymous callers, as the fallback policy does.
/// </summary>
internal static class OpenApiSecurity
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[AuthSchemes.ApiKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = AuthSchemes.ApiKeyHeader,
                Description = "An API key from the Account page or POST /api/me/api-keys (also Authorization: Bearer wt_…).",
            };
            document.Components.SecuritySchemes[AuthSchemes.Cookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = "webtrainer",
                Description = $"The dashboard's sign-in cookie; changes also need header {CookieRequestChecks.HeaderName} from GET /api/auth/antiforgery.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                return Task.CompletedTask;
            }
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AuthSchemes.ApiKey, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AuthSchemes.Cookie, context.Document)] = [] });
            return Task.CompletedTask;
        });
    }
}
