using Dapper;
using Npgsql;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Storage;

/// <summary>The <c>workers</c> table: heartbeats from Workers, the list for the dashboard.</summary>
public sealed class WorkerRepository(NpgsqlDataSource dataSource)
{
    /// <summary>A Worker whose heartbeat is older than this is shown as gone.</summary>
    public static readonly TimeSpan AliveWindow = TimeSpan.FromSeconds(45);

    internal async Task HeartbeatAsync(string name, string device, int threads, string[] queues, DateTimeOffset startedAt, long? currentJobId,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO workers (name, device, threads, queues, started_at, heartbeat_at, current_job_id)
            VALUES (@Name, @Device, @Threads, @Queues, @StartedAt, now(), @CurrentJobId)
            ON CONFLICT (name) DO UPDATE SET device = excluded.device, threads = excluded.threads, queues = excluded.queues,
                started_at = excluded.started_at, heartbeat_at = now(), current_job_id = excluded.current_job_id;
            NOTIFY webtrainer_dispatch;
            """,
            new { Name = name, Device = device, Threads = threads, Queues = queues, StartedAt = startedAt.UtcDateTime, CurrentJobId = currentJobId },
            cancellationToken: cancellationToken));
    }

    internal async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM workers WHERE name = @Name", new { Name = name },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Device, int Threads, string[] Queues, DateTime StartedAt, DateTime HeartbeatAt, long? CurrentJobId, bool Alive)>(
            new CommandDefinition(
                """
                SELECT name, device, threads, queues, started_at, heartbeat_at, current_job_id,
                       heartbeat_at > now() - make_interval(secs => @Window) AS alive
                FROM workers ORDER BY name
                """,
                new { Window = AliveWindow.TotalSeconds }, cancellationToken: cancellationToken));
        return rows.Select(r => new WorkerInfo(r.Name, r.Device, r.Threads, r.Queues, Utc(r.StartedAt), Utc(r.HeartbeatAt), r.CurrentJobId, r.Alive))
            .ToList();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
