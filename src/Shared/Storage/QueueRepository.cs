using Dapper;
using Npgsql;

namespace WebTrainer.Shared.Storage;

/// <summary>The dispatcher's view of the jobs table: which queued job goes to Hangfire next.</summary>
public sealed class QueueRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Channel that wakes the dispatcher: a job was queued or a run ended.</summary>
    public const string DispatchChannel = "webtrainer_dispatch";

    /// <summary>Queues of alive, idle Workers, less one per job already handed to Hangfire but not started yet.</summary>
    internal async Task<IReadOnlyList<string[]>> FreeWorkerQueuesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var idle = (await connection.QueryAsync<string[]>(new CommandDefinition(
            """
            SELECT queues FROM workers
            WHERE heartbeat_at > now() - make_interval(secs => @Window) AND current_job_id IS NULL
            ORDER BY name
            """,
            new { Window = WorkerRepository.AliveWindow.TotalSeconds }, cancellationToken: cancellationToken))).ToList();
        var inFlight = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM jobs WHERE status = 'Queued' AND dispatched_at IS NOT NULL", cancellationToken: cancellationToken));
        return idle.Skip(inFlight).ToList();
    }

    /// <summary>
    /// Marks the best waiting job for one of <paramref name="queues"/> as dispatched and returns it:
    /// highest priority, then oldest, skipping people who already run <paramref name="maxRunningPerUser"/> jobs.
    /// </summary>
    internal async Task<(long Id, string Queue)?> ClaimNextAsync(string[] queues, int maxRunningPerUser, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(long Id, string Queue)?>(new CommandDefinition(
            """
            UPDATE jobs SET dispatched_at = now()
            WHERE id = (
                SELECT j.id FROM jobs j
                WHERE j.status = 'Queued' AND j.dispatched_at IS NULL AND j.queue = ANY(@Queues)
                  AND (SELECT count(*) FROM jobs r
                       WHERE r.owner = j.owner AND (r.status = 'Running' OR (r.status = 'Queued' AND r.dispatched_at IS NOT NULL))) < @Limit
                ORDER BY j.priority DESC, j.created_at, j.id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING id, queue
            """,
            new { Queues = queues, Limit = maxRunningPerUser }, cancellationToken: cancellationToken));
    }

    internal async Task SetDispatchedAsync(long id, string? hangfireJobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            hangfireJobId is null
                ? "UPDATE jobs SET dispatched_at = NULL WHERE id = @Id"
                : "UPDATE jobs SET hangfire_job_id = @HangfireJobId WHERE id = @Id",
            new { Id = id, HangfireJobId = hangfireJobId }, cancellationToken: cancellationToken));
    }

    /// <summary>Changes a queued job's priority; false when the job is not queued.</summary>
    public async Task<bool> SetPriorityAsync(long id, int priority, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET priority = @Priority WHERE id = @Id AND status = 'Queued'",
            new { Id = id, Priority = priority }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Wakes the dispatcher now instead of at its next poll.</summary>
    public async Task WakeDispatcherAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"NOTIFY {DispatchChannel}", cancellationToken: cancellationToken));
    }
}
