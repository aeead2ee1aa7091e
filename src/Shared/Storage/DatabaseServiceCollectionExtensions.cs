using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WebTrainer.Shared.Storage;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>PostgreSQL data source, migrations and the repositories that read and write jobs.</summary>
    public static IServiceCollection AddWebTrainerDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:ConnectionString is not set (environment variable Database__ConnectionString).")
            .ValidateOnStart();
        services.AddSingleton(sp =>
            new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString).Build());
        services.AddOptions<ArtifactOptions>().BindConfiguration(ArtifactOptions.SectionName);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<JobRepository>();
        services.AddSingleton<MetricsRepository>();
        services.AddSingleton<WorkerRepository>();
        services.AddSingleton<QueueRepository>();
        services.AddSingleton<SweepRepository>();
        services.AddSingleton<DatasetFileRepository>();
        services.AddSingleton<QueueForecast>();
        services.AddSingleton<PostgresListener>();
        return services;
    }
}
