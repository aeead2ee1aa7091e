using FluentValidation;
using Hangfire;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Auth;
using WebTrainer.Web.Components;
using WebTrainer.Web.Datasets;
using WebTrainer.Web.Health;
using WebTrainer.Web.Helpers;
using WebTrainer.Web.Jobs;
using WebTrainer.Web.Metrics;
using WebTrainer.Web.Sweeps;
using WebTrainer.Web.Workers;

namespace WebTrainer.Web;

/// <summary>The table of contents of the Web host: what it registers and what it maps.</summary>
internal static class WebTrainerServices
{
    public static WebApplicationBuilder AddWebTrainer(this WebApplicationBuilder builder)
    {
        // run.sh and the tests start the Web from its build output in Production; without this the
        // framework's and packages' static files (blazor.web.js, plotly) are only served in Development.
        // A published app has no static web assets manifest, and this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddWebTrainerDatabase();
        services.AddDataRoots();
        // The Web reads Hangfire's storage (its dashboard, removing a cancelled job's entry); the Workers'
        // dispatcher enqueues and their Hangfire servers run the jobs.
        services.AddWebTrainerHangfire();

        services.AddWebTrainerAuth(builder.Configuration);
        services.ConfigureHttpJsonOptions(o => ContractJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        // Binding failures become exceptions so BadRequestExceptionHandler can name the problem.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<Errors.BadRequestExceptionHandler>();
        services.AddOpenApi(Auth.OpenApiSecurity.Configure);
        services.AddValidatorsFromAssemblyContaining<JobSpecValidator>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddOptions<JobQuotaOptions>().BindConfiguration(JobQuotaOptions.SectionName)
            .Validate(o => o.MaxQueuedPerUser >= 1, "Jobs:MaxQueuedPerUser must be at least 1").ValidateOnStart();
        services.AddSingleton<JobQuota>();
        services.AddScoped<JobSubmitter>();
        services.AddHelpers();
        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName)
            .Validate(o => o.MaxBytes > 0, "Uploads:MaxBytes must be positive")
            .Validate(o => o.PartialMaxAge > TimeSpan.Zero && o.PartialSweepInterval > TimeSpan.Zero,
                "Uploads:PartialMaxAge and Uploads:PartialSweepInterval must be positive")
            .ValidateOnStart();
        services.AddSingleton<DatasetUploader>();
        services.AddHostedService<PartialUploadCleaner>();
        services.AddScoped<OptimizeSubmitter>();
        services.AddSingleton<SamplePreview>();
        services.AddScoped<JobCommands>();
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.SectionName)
            .Validate(o => o.MaxPoints >= 1, "Sweeps:MaxPoints must be at least 1").ValidateOnStart();
        services.AddScoped<SweepSubmitter>();
        services.AddScoped<SweepCommands>();

        services.AddSignalR().AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<JobUpdateBus>();
        services.AddHostedService<JobUpdateRelay>();
        services.AddWebTrainerHealth();

        services.AddRazorComponents().AddInteractiveServerComponents();
        return builder;
    }

    public static WebApplication MapWebTrainer(this WebApplication app)
    {
        // Behind a TLS-terminating proxy on this machine (loopback, the only proxies trusted by default):
        // the client's address for rate limits and https for secure cookies.
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCookieRequestChecks();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapAccountsApi();
        app.MapJobsApi();
        app.MapSweepsApi();
        app.MapArtifactsApi();
        app.MapTrainingLogsApi();
        app.MapDatasetsApi();
        app.MapWorkersApi();
        app.MapWebTrainerHealth().AllowAnonymous();
        app.MapHub<JobsHub>(JobsHub.Path);
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "WebTrainer jobs",
            AppPath = "/",
            Authorization = [new HangfireDashboardAuthorization()],
        }).RequireAuthorization(AuthSchemes.AdminPolicy);

        // Scripts and styles hold no data; the sign-in page needs them before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
