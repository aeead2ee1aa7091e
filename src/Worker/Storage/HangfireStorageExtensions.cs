using Hangfire;
using Hangfire.PostgreSql;

namespace WebTrainer.Worker.Storage;

public static class HangfireStorageExtensions
{
    public const string SchemaName = "hangfire";

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
