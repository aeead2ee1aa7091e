using DbUp;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WebTrainer.Shared.Storage;

/// <summary>Applies the versioned SQL scripts in <c>Storage/Migrations</c> and Hangfire's schema, once, whoever starts first.</summary>
public sealed partial class DatabaseMigrator(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger)
{
    // Web and Worker processes may start together; one advisory lock serialises their migrations.
    private const long MigrationLockKey = 0x5754_4D49_4752; // "WTMIGR"

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(options.Value.ConnectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Storage.Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Database migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            }
            foreach (var script in result.Scripts)
            {
                LogApplied(logger, script.Name);
            }
            // Hangfire's own schema, under the same lock: Web and Worker installing it at once
            // collide in PostgreSQL's catalog ("could not find tuple for constraint").
            PostgreSqlObjectsInstaller.Install(connection, HangfireStorageExtensions.SchemaName);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Script}")]
    private static partial void LogApplied(ILogger logger, string script);
}
