using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Faults;

/// <summary>PostgreSQL stops and starts again mid-run: the Worker trains on, holds its metrics, and writes them all afterwards.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseOutageTests(PostgresServer server)
{
    [Fact]
    public async Task DatabaseRestart_DuringTraining_LosesNoMetric()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server);
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 1500, size: 24);
        var worker = await system.StartWorkerAsync("worker-a");
        var id = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 6, batchSize: 16));
        // The outage starts as soon as training does, so even a fast machine is mid-run when it hits.
        await system.WaitForJobAsync(id, j => j.LastBatch is not null, TimeSpan.FromMinutes(2));

        var batchesBefore = await Db.CountAsync(system.ConnectionString, "SELECT count(*) FROM batch_progress WHERE job_id = @job", id);
        var outageStart = DateTimeOffset.UtcNow;
        await server.PauseAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        await server.ResumeAsync();
        var outageEnd = DateTimeOffset.UtcNow;
        var job = await system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        Assert.Equal([1, 2, 3, 4, 5, 6], job.Epochs.Select(e => e.Epoch));
        Assert.NotNull(job.Test);
        // The outage really met the Worker's writes, which waited and went through afterwards.
        Assert.Contains(worker.Lines, l => l.Contains("holding metrics and retrying", StringComparison.Ordinal));
        var batchRows = await Db.CountAsync(system.ConnectionString, "SELECT count(DISTINCT epoch) FROM batch_progress WHERE job_id = @job", id);
        Assert.Equal(6, batchRows);
        Assert.True(batchesBefore > 0, "training had written batch progress before the outage");
        // Batches trained while the database was away were held and written afterwards (batch progress carries the Worker's clock).
        var heldRows = await Db.CountAsync(system.ConnectionString,
            $"SELECT count(*) FROM batch_progress WHERE job_id = @job AND recorded_at BETWEEN '{outageStart:O}' AND '{outageEnd:O}'", id);
        // Several, not one: a Worker that stopped training until the database came back would still date one blocked batch inside the window.
        Assert.True(heldRows >= 3, $"only {heldRows} batch progress rows from the 8 s outage reached the database");
    }
}
