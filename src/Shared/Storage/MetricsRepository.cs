using Dapper;
using Npgsql;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Shared.Storage;

/// <summary>Per-epoch metrics, batch progress and events of jobs; each write is announced with NOTIFY.</summary>
public sealed class MetricsRepository(NpgsqlDataSource dataSource)
{
    static MetricsRepository() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    internal async Task SaveEpochAsync(long jobId, EpochMetrics metrics, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO epoch_metrics (job_id, epoch, metrics) VALUES (@JobId, @Epoch, CAST(@Metrics AS jsonb))
            ON CONFLICT (job_id, epoch) DO UPDATE SET metrics = excluded.metrics, recorded_at = now();
            UPDATE jobs SET epoch = greatest(epoch, @Epoch),
                            best_val_accuracy = greatest(best_val_accuracy, @ValAccuracy)
            WHERE id = @JobId;
            SELECT pg_notify(@Channel, @Payload);
            """,
            new
            {
                JobId = jobId,
                metrics.Epoch,
                Metrics = ContractJson.Serialize(metrics),
                ValAccuracy = metrics.ValidationAccuracy,
                Channel = Notifications.UpdatesChannel,
                Payload = ContractJson.Serialize(new JobUpdate { JobId = jobId, Kind = JobUpdateKind.Epoch, Epoch = metrics }),
            },
            cancellationToken: cancellationToken));
    }

    internal async Task SaveBatchAsync(long jobId, BatchProgress progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO batch_progress (job_id, epoch, batch, batches_per_epoch, loss, accuracy, samples_per_second, recorded_at)
            VALUES (@JobId, @Epoch, @Batch, @BatchesPerEpoch, @Loss, @Accuracy, @SamplesPerSecond, @RecordedAt)
            ON CONFLICT (job_id, epoch, batch) DO UPDATE SET loss = excluded.loss, accuracy = excluded.accuracy,
                samples_per_second = excluded.samples_per_second, recorded_at = excluded.recorded_at;
            SELECT pg_notify(@Channel, @Payload);
            """,
            new
            {
                JobId = jobId,
                progress.Epoch,
                progress.Batch,
                progress.BatchesPerEpoch,
                progress.Loss,
                progress.Accuracy,
                progress.SamplesPerSecond,
                RecordedAt = progress.RecordedAt.UtcDateTime,
                Channel = Notifications.UpdatesChannel,
                Payload = ContractJson.Serialize(new JobUpdate { JobId = jobId, Kind = JobUpdateKind.Batch, Batch = progress }),
            },
            cancellationToken: cancellationToken));
    }

    internal async Task AddEventAsync(long jobId, DateTimeOffset at, string level, string message, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO job_events (job_id, at, level, message) VALUES (@JobId, @At, @Level, @Message) RETURNING id",
            new { JobId = jobId, At = at.UtcDateTime, Level = level, Message = message }, transaction,
            cancellationToken: cancellationToken));
        var update = new JobUpdate { JobId = jobId, Kind = JobUpdateKind.Event, Event = new JobEvent(id, at, level, message) };
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@Channel, @Payload)",
            new { Channel = Notifications.UpdatesChannel, Payload = ContractJson.Serialize(update) }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT metrics::text FROM epoch_metrics WHERE job_id = @JobId ORDER BY epoch", new { JobId = jobId },
            cancellationToken: cancellationToken));
        return rows.Select(ContractJson.Deserialize<EpochMetrics>).ToList();
    }

    public async Task<IReadOnlyList<BatchProgress>> GetBatchesAsync(long jobId, int? epoch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<BatchRow>(new CommandDefinition(
            """
            SELECT epoch, batch, batches_per_epoch, loss, accuracy, samples_per_second, recorded_at FROM batch_progress
            WHERE job_id = @JobId AND (@Epoch::int IS NULL OR epoch = @Epoch) ORDER BY epoch, batch
            """,
            new { JobId = jobId, Epoch = epoch }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToContract()).ToList();
    }

    public async Task<BatchProgress?> GetLastBatchAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(
            """
            SELECT epoch, batch, batches_per_epoch, loss, accuracy, samples_per_second, recorded_at FROM batch_progress
            WHERE job_id = @JobId ORDER BY epoch DESC, batch DESC LIMIT 1
            """,
            new { JobId = jobId }, cancellationToken: cancellationToken));
        return row?.ToContract();
    }

    public async Task<IReadOnlyList<JobEvent>> GetEventsAsync(long jobId, long afterId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT id, at, level, message FROM job_events WHERE job_id = @JobId AND id > @AfterId ORDER BY id",
            new { JobId = jobId, AfterId = afterId }, cancellationToken: cancellationToken));
        return rows.Select(r => new JobEvent(r.Id, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), r.Level, r.Message)).ToList();
    }

    private sealed class BatchRow
    {
        public int Epoch { get; set; }
        public int Batch { get; set; }
        public int BatchesPerEpoch { get; set; }
        public double Loss { get; set; }
        public double Accuracy { get; set; }
        public double SamplesPerSecond { get; set; }
        public DateTime RecordedAt { get; set; }

        public BatchProgress ToContract() => new(Epoch, Batch, BatchesPerEpoch, Loss, Accuracy, SamplesPerSecond,
            new DateTimeOffset(DateTime.SpecifyKind(RecordedAt, DateTimeKind.Utc)));
    }

    private sealed class EventRow
    {
        public long Id { get; set; }
        public DateTime At { get; set; }
        public string Level { get; set; } = "";
        public string Message { get; set; } = "";
    }
}
