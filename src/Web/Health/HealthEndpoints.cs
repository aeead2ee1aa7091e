using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebTrainer.Web.Auth;

namespace WebTrainer.Web.Health;

internal static class HealthEndpoints
{
    public static IServiceCollection AddWebTrainerHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddNpgSql(name: "database", tags: ["ready"]);
        return services;
    }

    /// <summary><c>/health</c>: 200 when the database answers, 503 otherwise; open to anyone, its details to admins only.</summary>
    public static IEndpointConventionBuilder MapWebTrainerHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).WithTags("Health");

    /// <summary>An exception's text can name hosts, users and paths: anonymous callers and members get up or down.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (!context.User.IsAdmin())
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status == HealthStatus.Unhealthy ? "Unhealthy" : "Healthy");
        }
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), error = e.Value.Exception?.Message }),
        });
    }
}
