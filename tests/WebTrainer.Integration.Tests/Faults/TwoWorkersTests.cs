using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Faults;

[Collection(PostgresCollection.Name)]
public sealed class TwoWorkersTests(PostgresServer server)
{
    [Fact]
    public async Task TwoWorkersOnOneQueue_RunEveryJobExactlyOnce()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?> { ["JobQueue__MaxRunningPerUser"] = "4" });
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 300);
        await system.StartWorkerAsync("worker-a");
        await system.StartWorkerAsync("worker-b");
        var ids = new List<long>();
        for (int i = 0; i < 8; i++)
        {
            ids.Add(await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file) with { Name = $"burst-{i}" }));
        }

        var jobs = new List<JobDetail>();
        foreach (var id in ids)
        {
            jobs.Add(await system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(3)));
        }

        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Summary.Status));
        foreach (var id in ids)
        {
            Assert.Equal(1, await Db.CountAsync(system.ConnectionString,
                "SELECT count(*) FROM job_events WHERE job_id = @job AND message LIKE 'Started on worker%'", id));
        }
        Assert.Equal(2, jobs.Select(j => j.WorkerName).Distinct().Count());
    }
}
