using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Reporting;

namespace WebTrainer.Worker.Jobs;

/// <summary>
/// The fair queue. Jobs wait in the jobs table; whenever a Worker is idle, the dispatcher hands
/// Hangfire the best waiting job — highest priority, then oldest — skipping people who already
/// run their limit. Every Worker process runs one, but only the holder of a PostgreSQL advisory
/// lock dispatches, so there is one dispatcher at a time and another takes over if it dies.
/// </summary>
internal sealed partial class JobDispatcher(
    PostgresListener listener,
    QueueRepository queue,
    IBackgroundJobClient hangfire,
    IOptions<JobQueueOptions> options,
    ILogger<JobDispatcher> logger) : BackgroundService
{
    private const long LeaderLockKey = 0x5754_4449_5350; // "WTDISP"
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => listener.RunAsync(new ListenLoop
    {
        Channel = QueueRepository.DispatchChannel,
        Acquire = TryLeadAsync,
        NotAcquiredDelay = PollInterval * 5,
        OnListening = () => LogLeading(logger),
        OnWake = DispatchAsync,
        WakeInterval = PollInterval,
        RetryDelay = PollInterval,
    }, stoppingToken);

    /// <summary>Hands waiting jobs to Hangfire, one per free Worker.</summary>
    internal async Task DispatchAsync(CancellationToken cancellationToken)
    {
        foreach (var queues in await queue.FreeWorkerQueuesAsync(cancellationToken))
        {
            var next = await queue.ClaimNextAsync(queues, options.Value.MaxRunningPerUser, cancellationToken);
            if (next is not { } job)
            {
                continue;
            }
            try
            {
                var hangfireId = hangfire.Create<ITrainingJob>(j => j.RunAsync(job.Id, CancellationToken.None), new EnqueuedState(job.Queue));
                await queue.SetDispatchedAsync(job.Id, hangfireId, cancellationToken);
                LogDispatched(logger, job.Id, job.Queue);
            }
            catch (Exception ex) when (DatabaseRetry.IsTransient(ex))
            {
                await queue.SetDispatchedAsync(job.Id, null, CancellationToken.None);
                throw;
            }
        }
    }

    private static async Task<bool> TryLeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LeaderLockKey);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This process dispatches queued jobs")]
    private static partial void LogLeading(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatched job {JobId} to queue {Queue}")]
    private static partial void LogDispatched(ILogger logger, long jobId, string queue);
}
