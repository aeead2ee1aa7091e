using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Web.Metrics;

/// <summary>
/// LISTENs for what Workers write and forwards it to SignalR groups and in-process subscribers.
/// Every Web instance runs its own relay, so no SignalR backplane is needed.
/// </summary>
internal sealed partial class JobUpdateRelay(
    PostgresListener listener,
    IHubContext<JobsHub> hub,
    JobUpdateBus bus,
    ILogger<JobUpdateRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        var forwarder = ForwardAsync(pending.Reader, stoppingToken);
        await listener.RunAsync(new ListenLoop
        {
            Channel = Notifications.UpdatesChannel,
            OnNotification = payload => pending.Writer.TryWrite(payload),
            OnListening = () => LogListening(logger),
        }, stoppingToken);
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
                // Not awaited: each page handles its queue on its own, so none holds up the relay or the hub.
                _ = bus.PublishAsync(update);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogForwardFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relaying job updates from PostgreSQL to SignalR")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A job update could not be forwarded")]
    private static partial void LogForwardFailed(ILogger logger, Exception ex);
}
