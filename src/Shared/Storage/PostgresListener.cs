using Microsoft.Extensions.Logging;
using Npgsql;

namespace WebTrainer.Shared.Storage;

/// <summary>
/// LISTEN on one channel for as long as the host runs, reconnecting after any transient database
/// error: the one loop behind the dispatcher, the cancel watcher and the Web's update relay.
/// </summary>
public sealed partial class PostgresListener(NpgsqlDataSource dataSource, ILogger<PostgresListener> logger)
{
    public async Task RunAsync(ListenLoop loop, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                if (loop.Acquire is not null && !await loop.Acquire(connection, stoppingToken))
                {
                    await Task.Delay(loop.NotAcquiredDelay, stoppingToken);
                    continue;
                }
                connection.Notification += (_, e) => loop.OnNotification?.Invoke(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {loop.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                loop.OnListening?.Invoke();
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (loop.OnWake is not null)
                    {
                        await loop.OnWake(stoppingToken);
                    }
                    if (loop.WakeInterval is { } interval)
                    {
                        await connection.WaitAsync(interval, stoppingToken);
                    }
                    else
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseRetry.IsTransient(ex))
            {
                LogLost(logger, loop.Channel, ex.Message);
                await Task.Delay(loop.RetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LISTEN {Channel} lost its database connection ({Reason}); reconnecting")]
    private static partial void LogLost(ILogger logger, string channel, string reason);
}
