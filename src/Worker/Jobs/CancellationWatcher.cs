using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Jobs;

/// <summary>
/// Turns cancel requests into cancellation tokens of running jobs: LISTEN for instant delivery,
/// plus a poll of the jobs table in case a notification was missed while disconnected.
/// </summary>
internal sealed partial class CancellationWatcher(PostgresListener listener, JobRepository jobs, ILogger<CancellationWatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();

    /// <summary>A token cancelled when someone asks to stop <paramref name="jobId"/>; dispose when the run ends.</summary>
    public Registration Register(long jobId)
    {
        var source = new CancellationTokenSource();
        _running[jobId] = source;
        return new Registration(this, jobId, source);
    }

    // The poll after every wake-up catches requests whose notification was missed while disconnected.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => listener.RunAsync(new ListenLoop
    {
        Channel = Notifications.CancelChannel,
        OnNotification = payload =>
        {
            if (long.TryParse(payload, out var id))
            {
                Cancel(id);
            }
        },
        OnWake = PollAsync,
        WakeInterval = PollInterval,
        RetryDelay = PollInterval,
    }, stoppingToken);

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        foreach (var id in _running.Keys)
        {
            if (await jobs.IsCancelRequestedAsync(id, cancellationToken))
            {
                Cancel(id);
            }
        }
    }

    private void Cancel(long jobId)
    {
        if (_running.TryGetValue(jobId, out var source))
        {
            LogCancelling(logger, jobId);
            source.Cancel();
        }
    }

    internal sealed class Registration(CancellationWatcher owner, long jobId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public bool IsCancellationRequested => source.IsCancellationRequested;

        /// <summary>Stops the run as a cancel request would (e.g. the job was deleted in Hangfire's dashboard).</summary>
        public void Cancel() => source.Cancel();

        public void Dispose()
        {
            owner._running.TryRemove(new KeyValuePair<long, CancellationTokenSource>(jobId, source));
            source.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel requested for job {JobId}")]
    private static partial void LogCancelling(ILogger logger, long jobId);
}
