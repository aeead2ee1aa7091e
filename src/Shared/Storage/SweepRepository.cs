using Dapper;
using Npgsql;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Sweeps;

namespace WebTrainer.Shared.Storage;

/// <summary>The <c>sweeps</c> table and its jobs: a sweep and all its points are stored in one transaction, or none of them.</summary>
public sealed class SweepRepository(NpgsqlDataSource dataSource)
{
    private const string SummarySelect =
        """
        SELECT s.id, s.name, s.owner, s.kind, s.paths, s.request::text AS request, s.created_at,
               count(j.id)::int AS points,
               (count(*) FILTER (WHERE j.status = 'Queued'))::int AS queued,
               (count(*) FILTER (WHERE j.status = 'Running'))::int AS running,
               (count(*) FILTER (WHERE j.status = 'Succeeded'))::int AS succeeded,
               (count(*) FILTER (WHERE j.status = 'Failed'))::int AS failed,
               (count(*) FILTER (WHERE j.status = 'Cancelled'))::int AS cancelled,
               max(j.best_val_accuracy) AS best_val_accuracy,
               (SELECT b.id FROM jobs b WHERE b.sweep_id = s.id AND b.best_val_accuracy IS NOT NULL
                ORDER BY b.best_val_accuracy DESC, b.sweep_index LIMIT 1) AS best_job_id
        FROM sweeps s LEFT JOIN jobs j ON j.sweep_id = s.id
        """;

    static SweepRepository() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>Stores the sweep and one queued job per point; returns the sweep's id and the jobs' ids in point order.</summary>
    public async Task<(long SweepId, IReadOnlyList<long> JobIds)> CreateAsync(
        SweepRequest request, string kind, IReadOnlyList<string> paths, IReadOnlyList<PlannedJob> jobs, string owner,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sweepId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO sweeps (name, owner, kind, paths, request)
            VALUES (@Name, @Owner, @Kind, @Paths, CAST(@Request AS jsonb))
            RETURNING id
            """,
            new { request.Name, Owner = owner, Kind = kind, Paths = paths.ToArray(), Request = ContractJson.Serialize(request) },
            transaction, cancellationToken: cancellationToken));
        var ids = new List<long>(jobs.Count);
        foreach (var job in jobs)
        {
            ids.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO jobs (name, owner, spec, status, queue, total_epochs, sweep_id, sweep_index, sweep_values, dataset_identity)
                VALUES (@Name, @Owner, CAST(@Spec AS jsonb), 'Queued', @Queue, @Epochs, @SweepId, @Index, CAST(@Values AS jsonb), CAST(@Identity AS jsonb))
                RETURNING id
                """,
                new
                {
                    job.Spec.Name, Owner = owner, Spec = ContractJson.Serialize(job.Spec), job.Queue, job.Spec.Training.Epochs,
                    SweepId = sweepId, job.Index, Values = ContractJson.Serialize(job.Values),
                    Identity = JobRepository.IdentityJson(job.DatasetIdentity),
                },
                transaction, cancellationToken: cancellationToken)));
        }
        await transaction.CommitAsync(cancellationToken);
        return (sweepId, ids);
    }

    /// <summary>Sweeps newest first; only <paramref name="owner"/>'s when given.</summary>
    public async Task<IReadOnlyList<SweepSummary>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SweepRow>(new CommandDefinition(
            $"{SummarySelect} WHERE (@Owner::text IS NULL OR lower(s.owner) = lower(@Owner)) GROUP BY s.id ORDER BY s.created_at DESC, s.id DESC",
            new { Owner = owner }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSummary()).ToList();
    }

    /// <summary>A sweep with its base spec and points in order; null when there is no such sweep.</summary>
    public async Task<SweepDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SweepRow>(new CommandDefinition(
            $"{SummarySelect} WHERE s.id = @Id GROUP BY s.id", new { Id = id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }
        var points = await connection.QueryAsync<SweepPointRow>(new CommandDefinition(
            """
            SELECT j.id, j.name, j.status, j.sweep_index, j.sweep_values::text AS sweep_values, j.epoch, j.total_epochs,
                   j.best_val_accuracy,
                   (SELECT min((m.metrics->>'validationLoss')::double precision) FROM epoch_metrics m WHERE m.job_id = j.id) AS best_val_loss,
                   (j.test_results->>'accuracy')::double precision AS test_accuracy
            FROM jobs j WHERE j.sweep_id = @Id ORDER BY j.sweep_index
            """,
            new { Id = id }, cancellationToken: cancellationToken));
        var request = ContractJson.Deserialize<SweepRequest>(row.Request);
        return new SweepDetail(row.ToSummary(), request.Base, points.Select(p => p.ToPoint()).ToList());
    }

    /// <summary>The sweep's jobs that are still queued or running.</summary>
    public async Task<IReadOnlyList<long>> ActiveJobIdsAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM jobs WHERE sweep_id = @Id AND status IN ('Queued', 'Running') ORDER BY sweep_index",
            new { Id = id }, cancellationToken: cancellationToken))).ToList();
    }
}
