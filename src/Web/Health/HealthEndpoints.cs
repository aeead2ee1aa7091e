using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebTrainer.Web.Health;

internal static class HealthEndpoints
{
    public static IServiceCollection AddWebTrainerHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddNpgSql(name: "database", tags: ["ready"]);
        return services;
    }

    /// <summary><c>/health</c>: 200 when the database answers, 503 otherwise; open to anyone.</summary>
    public static IEndpointConventionBuilder MapWebTrainerHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).WithTags("Health");

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), error = e.Value.Exception?.Message }),
        });
    }
}
