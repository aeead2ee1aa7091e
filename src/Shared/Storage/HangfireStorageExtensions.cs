using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WebTrainer.Shared.Storage;

public static class HangfireStorageExtensions
{
    public const string SchemaName = "hangfire";

    /// <summary>
    /// The queue settings and Hangfire's client on them, the same for the Web (dashboard, removing
    /// cancelled jobs) and the Workers (dispatching, serving).
    /// </summary>
    public static IServiceCollection AddWebTrainerHangfire(this IServiceCollection services)
    {
        services.AddOptions<JobQueueOptions>().BindConfiguration(JobQueueOptions.SectionName)
            .Validate(o => o.MaxRunningPerUser >= 1, "JobQueue:MaxRunningPerUser must be at least 1")
            .Validate(o => o.MaxAttempts >= 1, "JobQueue:MaxAttempts must be at least 1")
            .Validate(o => o.StallTimeout > TimeSpan.Zero, "JobQueue:StallTimeout must be positive")
            .ValidateOnStart();
        return services.AddHangfire((sp, configuration) => configuration
            .UseWebTrainerStorage(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString,
                sp.GetRequiredService<IOptions<JobQueueOptions>>().Value)
            // A failed run is a result to show, not something to repeat: a run process that dies is
            // restarted by its Worker (JobQueue:MaxAttempts), a dead Worker's job comes back through the
            // invisibility timeout.
            .UseFilter(new AutomaticRetryAttribute { Attempts = 0 }));
    }

    /// <summary>Hangfire on the project's PostgreSQL, in its own schema.</summary>
    public static IGlobalConfiguration UseWebTrainerStorage(this IGlobalConfiguration configuration, string connectionString, JobQueueOptions options) =>
        configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(b => b.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
            {
                SchemaName = SchemaName,
                // DatabaseMigrator installs the schema under a lock before any host starts Hangfire.
                PrepareSchemaIfNecessary = false,
                InvisibilityTimeout = options.InvisibilityTimeout,
                UseSlidingInvisibilityTimeout = options.UseSlidingInvisibilityTimeout,
                QueuePollInterval = options.QueuePollInterval,
                EnableLongPolling = true,
            });
}
