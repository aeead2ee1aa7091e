using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Reporting;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs;

/// <summary>Announces this Worker (device, threads, queues, current job) every few seconds.</summary>
internal sealed partial class WorkerHeartbeat(WorkerRepository workers, IOptions<WorkerOptions> options, ILogger<WorkerHeartbeat> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private long _currentJob;

    /// <summary>Marks the job this Worker is running (0: none) and announces it at once.</summary>
    public void SetCurrentJob(long jobId)
    {
        Interlocked.Exchange(ref _currentJob, jobId);
        _ = BeatAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Said once at start, with the rest of what this Worker announces: it decides whether ResNet-50 can train here.
        OneDnnWorkaround.Current.Log(logger);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await BeatAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await workers.RemoveAsync(options.Value.Name, cancellationToken);
        }
        catch (Exception ex) when (DatabaseRetry.IsTransient(ex))
        {
            LogHeartbeatFailed(logger, ex.Message);
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var worker = options.Value;
        var device = TorchRuntime.SelectDevice(worker.Device).type.ToString().ToLowerInvariant();
        long job = Interlocked.Read(ref _currentJob);
        try
        {
            await workers.HeartbeatAsync(worker.Name, device, worker.Threads, JobQueues.ServedBy(device == Devices.Cuda), _startedAt,
                job == 0 ? null : job, cancellationToken);
        }
        catch (Exception ex) when (DatabaseRetry.IsTransient(ex))
        {
            LogHeartbeatFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker heartbeat failed ({Reason}); will retry")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);
}
