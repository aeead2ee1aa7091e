using System.Net;
using System.Net.Http.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Jobs;

/// <summary>The dispatcher: per-person limits, admin priorities, and expected start times.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FairQueueTests(PostgresServer server)
{
    [Fact]
    public async Task PerUserLimit_OnePersonsJobsRunOneAtATime_WhileAnotherPersonsJobRunsBeside()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?> { ["JobQueue__MaxRunningPerUser"] = "1" });
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 900);
        using var member = await system.MemberAsync("mo@webtrainer.test");
        var adminJobs = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            adminJobs.Add(await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 2)));
        }
        using var submitted = await member.PostAsync("/api/jobs", JsonContent.Create(WebTrainerSystem.SmallSpec(file, epochs: 2), options: ContractJson.Options));
        var memberJob = ContractJson.Deserialize<JobCreated>(await submitted.Content.ReadAsStringAsync()).Id;
        await system.StartWorkerAsync("worker-a");
        await system.StartWorkerAsync("worker-b");

        var admin = new List<JobSummary>();
        foreach (var id in adminJobs)
        {
            admin.Add((await system.WaitForJobAsync(id, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(3))).Summary);
        }
        var mine = (await system.WaitForJobAsync(memberJob, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(3))).Summary;

        var ordered = admin.OrderBy(j => j.StartedAt).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].StartedAt >= ordered[i - 1].FinishedAt, $"admin jobs overlap: {ordered[i - 1]} / {ordered[i]}");
        }
        Assert.Contains(admin, j => j.StartedAt < mine.FinishedAt && mine.StartedAt < j.FinishedAt);
    }

    [Fact]
    public async Task Priority_RaisedByAnAdmin_RunsThatJobFirst_AndMembersMayNotRaiseIt()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?> { ["JobQueue__MaxRunningPerUser"] = "5" });
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 900);
        await system.StartWorkerAsync("worker-a");
        // Long enough to still be running on any machine while the other two are queued and raised; cancelled below.
        var first = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 1000));
        await system.WaitForJobAsync(first, j => j.Summary.Status == JobStatus.Running, TimeSpan.FromMinutes(1));
        var low = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        var high = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));

        using var member = await system.MemberAsync("mae@webtrainer.test");
        using var refused = await member.PutAsJsonAsync($"/api/jobs/{high}/priority", new SetPriorityRequest(10), ContractJson.Options);
        using var raised = await system.Http.PutAsJsonAsync($"/api/jobs/{high}/priority", new SetPriorityRequest(10), ContractJson.Options);
        using var cancelFirst = await system.Http.PostAsync($"/api/jobs/{first}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancelFirst.StatusCode);
        var lowJob = await system.WaitForJobAsync(low, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(3));
        var highJob = await system.GetJobAsync(high);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        Assert.Equal(10, highJob.Summary.Priority);
        Assert.True(highJob.Summary.StartedAt < lowJob.Summary.StartedAt, $"high {highJob.Summary.StartedAt} low {lowJob.Summary.StartedAt}");
    }

    [Fact]
    public async Task QueuedJobs_ShowTheirPosition_AndAnExpectedStart()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?> { ["JobQueue__MaxRunningPerUser"] = "5" });
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 900);
        await system.StartWorkerAsync("worker-a");
        var done = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        await system.WaitForJobAsync(done, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(2));
        var running = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 1000));
        await system.WaitForJobAsync(running, j => j.LastBatch is not null, TimeSpan.FromMinutes(1));
        var second = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        var third = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));

        var page = ContractJson.Deserialize<JobListPage>(await system.Http.GetStringAsync("/api/jobs?status=Queued"));

        var queued = page.Items.OrderBy(j => j.QueuePosition).ToList();
        Assert.Equal([second, third], queued.Select(j => j.Id));
        Assert.Equal([1, 2], queued.Select(j => j.QueuePosition!.Value));
        Assert.All(queued, j => Assert.True(j.EstimatedStartAt > DateTimeOffset.UtcNow.AddSeconds(-5), $"{j.EstimatedStartAt}"));
        Assert.True(queued[0].EstimatedStartAt < queued[1].EstimatedStartAt);
        using var cancel = await system.Http.PostAsync($"/api/jobs/{running}/cancel", null);
    }
}
