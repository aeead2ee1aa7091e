using System.Net;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Jobs;

/// <summary>
/// Hangfire hands a job out again when its invisibility timeout passes. Two Workers on one queue,
/// a timeout of 3 s and a job kept running well past it: the run happens exactly once.
/// The job is long (1000 epochs) and cancelled once the point is made, so the tests hold on a
/// machine of any speed rather than hoping that a fixed amount of training outlasts the timeout.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DuplicateExecutionTests(PostgresServer server)
{
    private const string DuplicateLine = "already running under another execution";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task SlidingInvisibilityTimeout_KeepsALongJobWithItsWorker()
    {
        await using var system = await StartAsync(sliding: true);
        var id = await SubmitLongJobAsync(system);

        await system.WaitForJobAsync(id, j => j.LastBatch is not null, TimeSpan.FromMinutes(2));
        // Four timeouts: without the sliding timeout Hangfire would have handed the job out again by now.
        await Task.Delay(4 * Timeout);
        var job = await CancelAsync(system, id);

        Assert.Equal(JobStatus.Cancelled, job.Summary.Status);
        Assert.True(job.Summary.FinishedAt - job.Summary.StartedAt > 4 * Timeout, "the job must outlast the timeout");
        Assert.Equal(1, await StartsAsync(system, id));
        Assert.DoesNotContain(system.Workers, w => w.Output.Contains(DuplicateLine, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutSlidingTimeout_TheAdvisoryLockTurnsTheDuplicateAway()
    {
        await using var system = await StartAsync(sliding: false);
        var id = await SubmitLongJobAsync(system);

        // The duplicate really happens: Hangfire re-delivers the job after the timeout...
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!system.Workers.Any(w => w.Output.Contains(DuplicateLine, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "Hangfire never re-delivered the job");
            await Task.Delay(250);
        }
        var job = await CancelAsync(system, id);

        // ...and is turned away: one start, and the epochs the run recorded are each there once.
        Assert.Equal(JobStatus.Cancelled, job.Summary.Status);
        Assert.Equal(1, await StartsAsync(system, id));
        Assert.Equal(Enumerable.Range(1, job.Epochs.Count), job.Epochs.Select(e => e.Epoch));
    }

    private async Task<WebTrainerSystem> StartAsync(bool sliding)
    {
        var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["JobQueue__InvisibilityTimeout"] = Timeout.ToString("c"),
            ["JobQueue__UseSlidingInvisibilityTimeout"] = sliding ? "true" : "false",
        });
        await system.StartWebAsync();
        await system.StartWorkerAsync("worker-a");
        await system.StartWorkerAsync("worker-b");
        return system;
    }

    private static async Task<long> SubmitLongJobAsync(WebTrainerSystem system)
    {
        var file = await system.AddSyntheticDatasetAsync(count: 1500, size: 24);
        return await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 1000, batchSize: 16));
    }

    private static async Task<JobDetail> CancelAsync(WebTrainerSystem system, long id)
    {
        using var response = await system.Http.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(1));
    }

    private static Task<long> StartsAsync(WebTrainerSystem system, long id) => Db.CountAsync(system.ConnectionString,
        "SELECT count(*) FROM job_events WHERE job_id = @job AND message LIKE 'Started on worker%'", id);
}
