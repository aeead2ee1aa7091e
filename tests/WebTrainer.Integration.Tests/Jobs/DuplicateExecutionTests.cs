using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Jobs;

/// <summary>
/// Hangfire hands a job out again when its invisibility timeout passes. Two Workers on one queue,
/// a timeout of 3 s and a job longer than that: the run happens exactly once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DuplicateExecutionTests(PostgresServer server)
{
    private const string DuplicateLine = "already running under another execution";

    [Fact]
    public async Task SlidingInvisibilityTimeout_KeepsALongJobWithItsWorker()
    {
        await using var system = await StartAsync(sliding: true);
        var file = await system.AddSyntheticDatasetAsync(count: 1500, size: 24);
        var id = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 6, batchSize: 16));

        var job = await system.WaitForJobAsync(id, Ended, TimeSpan.FromMinutes(4));

        Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        Assert.True(job.Summary.FinishedAt - job.Summary.StartedAt > TimeSpan.FromSeconds(6), "the job must outlast the 3 s timeout");
        Assert.Equal(1, await StartsAsync(system, id));
        Assert.DoesNotContain(system.Workers, w => w.Output.Contains(DuplicateLine, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutSlidingTimeout_TheAdvisoryLockTurnsTheDuplicateAway()
    {
        await using var system = await StartAsync(sliding: false);
        var file = await system.AddSyntheticDatasetAsync(count: 1500, size: 24);
        var id = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 6, batchSize: 16));

        var job = await system.WaitForJobAsync(id, Ended, TimeSpan.FromMinutes(4));

        Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        Assert.Equal(1, await StartsAsync(system, id));
        // The duplicate really happened (Hangfire re-delivered the job) and was turned away.
        Assert.Contains(system.Workers, w => w.Output.Contains(DuplicateLine, StringComparison.Ordinal));
        Assert.Equal(6, job.Epochs.Count);
    }

    private async Task<WebTrainerSystem> StartAsync(bool sliding)
    {
        var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["JobQueue__InvisibilityTimeout"] = "00:00:03",
            ["JobQueue__UseSlidingInvisibilityTimeout"] = sliding ? "true" : "false",
        });
        await system.StartWebAsync();
        await system.StartWorkerAsync("worker-a");
        await system.StartWorkerAsync("worker-b");
        return system;
    }

    private static bool Ended(JobDetail job) => job.Summary.Status is not (JobStatus.Queued or JobStatus.Running);

    private static Task<long> StartsAsync(WebTrainerSystem system, long id) => Db.CountAsync(system.ConnectionString,
        "SELECT count(*) FROM job_events WHERE job_id = @job AND message LIKE 'Started on worker%'", id);
}
