using Dapper;
using Npgsql;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Storage;

/// <summary>Queue positions and expected start times, from running jobs' progress and past run times.</summary>
public sealed class QueueForecast(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<JobSummary>> ApplyAsync(IReadOnlyList<JobSummary> jobs, CancellationToken cancellationToken)
    {
        if (!jobs.Any(j => j.Status == JobStatus.Queued))
        {
            return jobs;
        }
        var forecast = await ForecastAsync(cancellationToken);
        return jobs.Select(j => forecast.TryGetValue(j.Id, out var f) ? j with { QueuePosition = f.Position, EstimatedStartAt = f.StartAt } : j).ToList();
    }

    public async Task<IReadOnlyDictionary<long, (int Position, DateTimeOffset? StartAt)>> ForecastAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var pending = (await connection.QueryAsync<(long Id, int TotalEpochs, string Architecture, string File)>(new CommandDefinition(
            """
            SELECT id, total_epochs, spec->'model'->>'architecture', spec->'dataset'->>'file' FROM jobs WHERE status = 'Queued'
            ORDER BY dispatched_at IS NULL, priority DESC, created_at, id
            """, cancellationToken: cancellationToken))).ToList();
        var running = await connection.QueryAsync<(DateTime StartedAt, int TotalEpochs, int? Epoch, int? Batch, int? BatchesPerEpoch)>(new CommandDefinition(
            """
            SELECT j.started_at, j.total_epochs, b.epoch, b.batch, b.batches_per_epoch FROM jobs j
            LEFT JOIN LATERAL (SELECT epoch, batch, batches_per_epoch FROM batch_progress p WHERE p.job_id = j.id
                               ORDER BY epoch DESC, batch DESC LIMIT 1) b ON true
            WHERE j.status = 'Running' AND j.started_at IS NOT NULL
            """, cancellationToken: cancellationToken));
        var workers = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM workers WHERE heartbeat_at > now() - make_interval(secs => @Window)",
            new { Window = WorkerRepository.AliveWindow.TotalSeconds }, cancellationToken: cancellationToken));
        var history = (await connection.QueryAsync<(string Architecture, string File, double SecondsPerEpoch)>(new CommandDefinition(
            """
            SELECT spec->'model'->>'architecture', spec->'dataset'->>'file',
                   avg(extract(epoch FROM finished_at - started_at) / greatest(total_epochs, 1))
            FROM jobs WHERE status = 'Succeeded' AND started_at IS NOT NULL GROUP BY 1, 2
            """, cancellationToken: cancellationToken))).ToList();

        double? overall = history.Count == 0 ? null : history.Average(h => h.SecondsPerEpoch);
        TimeSpan? Duration((long Id, int TotalEpochs, string Architecture, string File) job)
        {
            var match = history.Where(h => h.Architecture == job.Architecture && h.File == job.File).Select(h => (double?)h.SecondsPerEpoch).FirstOrDefault();
            return (match ?? overall) is { } perEpoch ? TimeSpan.FromSeconds(perEpoch * job.TotalEpochs) : null;
        }
        var remaining = running.Select(r =>
        {
            var elapsed = now - new DateTimeOffset(DateTime.SpecifyKind(r.StartedAt, DateTimeKind.Utc));
            double done = r.Epoch is { } e && r.BatchesPerEpoch is > 0
                ? (e - 1 + (double)r.Batch!.Value / r.BatchesPerEpoch.Value) / Math.Max(1, r.TotalEpochs)
                : 0;
            return done > 0.01 ? TimeSpan.FromTicks((long)(elapsed.Ticks * (1 - done) / done)) : elapsed;
        }).ToList();

        var starts = QueueSimulation.StartTimes(now, workers, remaining, pending.Select(Duration).ToList());
        return pending.Select((job, i) => (job.Id, Position: i + 1, Start: starts[i]))
            .ToDictionary(x => x.Id, x => (x.Position, x.Start));
    }
}
