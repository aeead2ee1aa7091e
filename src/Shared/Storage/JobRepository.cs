using Dapper;
using Npgsql;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Shared.Storage;

/// <summary>The <c>jobs</c> table: creation and queries for the Web, status transitions for the Worker.</summary>
public sealed class JobRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, name, owner, spec::text AS spec, status, queue, hangfire_job_id, cancel_requested, created_at, started_at, " +
        "finished_at, worker_name, epoch, total_epochs, best_val_accuracy, error, test_results::text AS test_results, priority, run_key, attempts, kind, optimize::text AS optimize, dataset_identity::text AS dataset_identity";

    static JobRepository() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>Stores a queued job; <paramref name="identity"/> is the dataset file it was validated against, which its run checks.</summary>
    public async Task<long> CreateAsync(JobSpec spec, string owner, string queue, DatasetFileIdentity? identity, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO jobs (name, owner, spec, status, queue, total_epochs, dataset_identity)
            VALUES (@Name, @Owner, CAST(@Spec AS jsonb), 'Queued', @Queue, @Epochs, CAST(@Identity AS jsonb))
            RETURNING id
            """,
            new { spec.Name, Owner = owner, Spec = ContractJson.Serialize(spec), Queue = queue, spec.Training.Epochs, Identity = IdentityJson(identity) },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Stores an optimise job. Its <c>spec</c> carries the name, the input file and "optimize" as the
    /// model, so the jobs list, its search and the queue forecast need no second case.
    /// </summary>
    public async Task<long> CreateOptimizeAsync(
        string name, OptimizeSpec optimize, string owner, string queue, DatasetFileIdentity? identity, CancellationToken cancellationToken)
    {
        var spec = new JobSpec
        {
            Name = name,
            Dataset = new DatasetSpec { File = optimize.Input },
            Model = new ModelSpec { Architecture = JobKinds.Optimize },
            Training = new TrainingSpec { Epochs = 1 },
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO jobs (name, owner, spec, status, queue, total_epochs, kind, optimize, dataset_identity)
            VALUES (@Name, @Owner, CAST(@Spec AS jsonb), 'Queued', @Queue, 1, 'optimize', CAST(@Optimize AS jsonb), CAST(@Identity AS jsonb))
            RETURNING id
            """,
            new
            {
                Name = name, Owner = owner, Spec = ContractJson.Serialize(spec), Queue = queue, Optimize = ContractJson.Serialize(optimize),
                Identity = IdentityJson(identity),
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>The queued or running optimise job that writes <paramref name="output"/> in data root <paramref name="root"/>, if any.</summary>
    public async Task<long?> FindActiveOptimizeAsync(string output, int root, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT min(id) FROM jobs
            WHERE kind = 'optimize' AND status IN ('Queued', 'Running')
              AND optimize->>'output' = @Output AND coalesce((optimize->>'outputRoot')::int, 0) = @Root
            """,
            new { Output = output, Root = root }, cancellationToken: cancellationToken));
    }

    internal async Task<JobRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task<JobSummary?> GetSummaryAsync(long id, CancellationToken cancellationToken) =>
        (await GetAsync(id, cancellationToken))?.ToSummary();

    public async Task<(IReadOnlyList<JobSummary> Items, int Total)> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var order = query.Sort switch
        {
            "created_asc" => "created_at ASC, id ASC",
            "name" => "name ASC, id DESC",
            "status" => "status ASC, id DESC",
            "best_val_accuracy" => "best_val_accuracy DESC NULLS LAST, id DESC",
            _ => "created_at DESC, id DESC",
        };
        var where = """
            (@Status::text IS NULL OR status = @Status)
            AND (@Owner::text IS NULL OR owner = @Owner)
            AND (@Search::text IS NULL OR name ILIKE '%' || @Search || '%' OR spec->'dataset'->>'file' ILIKE '%' || @Search || '%')
            """;
        var parameters = new
        {
            Status = query.Status?.ToString(),
            query.Owner,
            Search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search,
            Limit = query.PageSize,
            Offset = (long)(query.Page - 1) * query.PageSize, // bigint: page × pageSize can pass int's range
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*) FROM jobs WHERE {where}", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs WHERE {where} ORDER BY {order} LIMIT @Limit OFFSET @Offset",
            parameters, cancellationToken: cancellationToken));
        return (rows.Select(r => r.ToSummary()).ToList(), total);
    }

    /// <summary>Marks a queued job cancelled at once, or asks the Worker running it to stop.</summary>
    public async Task<(CancelOutcome Outcome, string? HangfireJobId)> RequestCancelAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, string? HangfireJobId)?>(new CommandDefinition(
            "SELECT status, hangfire_job_id FROM jobs WHERE id = @Id FOR UPDATE", new { Id = id }, transaction,
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return (CancelOutcome.NotFound, null);
        }
        var (status, hangfireJobId) = row.Value;
        CancelOutcome outcome;
        if (status == nameof(JobStatus.Queued))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE jobs SET status = 'Cancelled', cancel_requested = true, finished_at = now() WHERE id = @Id;
                SELECT pg_notify(@Channel, @Payload);
                """,
                new { Id = id, Channel = Notifications.UpdatesChannel, Payload = StatusPayload(id, JobStatus.Cancelled) },
                transaction, cancellationToken: cancellationToken));
            outcome = CancelOutcome.CancelledWhileQueued;
        }
        else if (status == nameof(JobStatus.Running))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE jobs SET cancel_requested = true WHERE id = @Id; SELECT pg_notify(@Channel, @Id::text);",
                new { Id = id, Channel = Notifications.CancelChannel }, transaction, cancellationToken: cancellationToken));
            outcome = CancelOutcome.StopRequested;
        }
        else
        {
            outcome = CancelOutcome.AlreadyFinished;
        }
        await transaction.CommitAsync(cancellationToken);
        return (outcome, hangfireJobId);
    }

    /// <summary>Deletes a job that is not running, with its metrics and events.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM jobs WHERE id = @Id AND status <> 'Running'", new { Id = id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Claims a queued (or resumed) job for a Worker; null when the job is gone or already finished.</summary>
    internal async Task<JobRow?> StartAsync(long id, string workerName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"""
            UPDATE jobs SET status = 'Running', started_at = coalesce(started_at, now()), worker_name = @Worker
            WHERE id = @Id AND status IN ('Queued', 'Running') AND NOT cancel_requested
            RETURNING {Columns}
            """,
            new { Id = id, Worker = workerName }, cancellationToken: cancellationToken));
        if (row is not null)
        {
            await NotifyAsync(connection, StatusPayload(id, JobStatus.Running), cancellationToken);
        }
        return row;
    }

    /// <summary>Ends a run. Only a running job can finish, so a late duplicate cannot overwrite an ended one.</summary>
    internal async Task FinishAsync(long id, JobStatus status, string? error, TestResults? test, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE jobs SET status = @Status, finished_at = now(), error = @Error,
                            test_results = coalesce(CAST(@Test AS jsonb), test_results)
            WHERE id = @Id AND status = 'Running';
            NOTIFY webtrainer_dispatch;
            """,
            new { Id = id, Status = status.ToString(), Error = error, Test = test is null ? null : ContractJson.Serialize(test) },
            cancellationToken: cancellationToken));
        await NotifyAsync(connection, StatusPayload(id, status), cancellationToken);
    }

    /// <summary>Puts a run the Worker had to abandon (shutdown) back to Queued so that it resumes later.</summary>
    internal async Task RequeueAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET status = 'Queued', worker_name = NULL WHERE id = @Id AND status = 'Running'",
            new { Id = id }, cancellationToken: cancellationToken));
        await NotifyAsync(connection, StatusPayload(id, JobStatus.Queued), cancellationToken);
    }

    /// <summary>Counts one more start of the job's run process; returns the attempt number it starts.</summary>
    internal async Task<int> BeginAttemptAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE jobs SET attempts = attempts + 1 WHERE id = @Id RETURNING attempts", new { Id = id },
            cancellationToken: cancellationToken));
    }

    /// <summary>Gives an attempt back: the run was stopped by its Worker's shutdown, which is not the run's fault.</summary>
    internal async Task ReturnAttemptAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET attempts = greatest(attempts - 1, 0) WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
    }

    internal async Task<bool> IsCancelRequestedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT coalesce((SELECT cancel_requested FROM jobs WHERE id = @Id), true)", new { Id = id },
            cancellationToken: cancellationToken));
    }

    internal static string? IdentityJson(DatasetFileIdentity? identity) => identity is null ? null : ContractJson.Serialize(identity);

    internal static string StatusPayload(long id, JobStatus status) =>
        ContractJson.Serialize(new JobUpdate { JobId = id, Kind = JobUpdateKind.Status, Status = status });

    private static Task NotifyAsync(NpgsqlConnection connection, string payload, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@Channel, @Payload)",
            new { Channel = Notifications.UpdatesChannel, Payload = payload }, cancellationToken: cancellationToken));
}
