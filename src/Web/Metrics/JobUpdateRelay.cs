using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Npgsql;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Storage;

namespace WebTrainer.Web.Metrics;

/// <summary>
/// LISTENs for what Workers write and forwards it to SignalR groups and in-process subscribers.
/// Every Web instance runs its own relay, so no SignalR backplane is needed.
/// </summary>
internal sealed partial class JobUpdateRelay(
    NpgsqlDataSource dataSource,
    IHubContext<JobsHub> hub,
    JobUpdateBus bus,
    ILogger<JobUpdateRelay> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        var forwarder = ForwardAsync(pending.Reader, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => pending.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Notifications.UpdatesChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                LogListening(logger);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                LogLost(logger, ex.Message);
                await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        pending.Writer.TryComplete();
        await forwarder;
    }

    private async Task ForwardAsync(ChannelReader<string> payloads, CancellationToken stoppingToken)
    {
        await foreach (var payload in payloads.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                var update = ContractJson.Deserialize<JobUpdate>(payload);
                await hub.Clients.Group(JobsHub.GroupOf(update.JobId)).SendAsync(JobsHub.UpdateMethod, update, stoppingToken);
                if (update.Kind is JobUpdateKind.Status or JobUpdateKind.Epoch)
                {
                    await hub.Clients.Group(JobsHub.AllJobsGroup).SendAsync(JobsHub.UpdateMethod, update, stoppingToken);
                }
                await bus.PublishAsync(update);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogForwardFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relaying job updates from PostgreSQL to SignalR")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection ({Reason}); reconnecting")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A job update could not be forwarded")]
    private static partial void LogForwardFailed(ILogger logger, Exception ex);
}
