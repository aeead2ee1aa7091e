using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Sweeps;

/// <summary>A sweep run end to end: real Web, PostgreSQL, Hangfire and a Worker training each point.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SweepRunTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync()
    {
        // One running job per person: sweep jobs must wait their turn like any other job of their owner.
        _system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?> { ["JobQueue__MaxRunningPerUser"] = "1" });
        await _system.StartWebAsync();
    }

    [Fact]
    public async Task GridOfFour_RunsToSucceeded_AndTheSweepShowsEachPointsResults()
    {
        var file = await _system.AddSyntheticDatasetAsync(count: 400);
        await _system.StartWorkerAsync("worker-a");
        var tiny = WebTrainerSystem.SmallSpec(file, epochs: 1) with { Name = "ignored" };
        tiny = tiny with { Training = tiny.Training with { MaxSamplesPerSplit = 96, CheckpointEveryBatches = 0 } };

        var created = await Sweeps.PostOkAsync(_system.Http, Sweeps.Grid("tiny", tiny,
            """{"training.learningRate": [0.003, 0.001], "training.batchSize": [16, 32]}"""));
        foreach (var id in created.JobIds)
        {
            var job = await _system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(4));
            Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        }

        var sweep = await Sweeps.GetAsync(_system.Http, created.Id);
        Assert.Equal(4, sweep.Summary.StatusCounts[JobStatus.Succeeded]);
        Assert.True(sweep.Summary.Finished);
        Assert.Equal(["tiny #1 learningRate=0.003 batchSize=16", "tiny #2 learningRate=0.003 batchSize=32",
                      "tiny #3 learningRate=0.001 batchSize=16", "tiny #4 learningRate=0.001 batchSize=32"], sweep.Points.Select(p => p.Name));
        foreach (var point in sweep.Points)
        {
            var job = await _system.GetJobAsync(point.JobId);
            Assert.Equal(point.Values["training.batchSize"].GetInt32(), job.Spec.Training.BatchSize);
            Assert.Equal(job.Epochs.Single().ValidationAccuracy, point.BestValidationAccuracy);
            Assert.Equal(job.Epochs.Single().ValidationLoss, point.BestValidationLoss);
            Assert.Equal(job.Test!.Accuracy, point.TestAccuracy);
            Assert.Equal(1, point.Epoch);
        }
        var best = sweep.Points.MaxBy(p => p.BestValidationAccuracy)!;
        Assert.Equal(best.BestValidationAccuracy, sweep.Summary.BestValidationAccuracy);
        Assert.Equal(sweep.Points.Where(p => p.BestValidationAccuracy == best.BestValidationAccuracy).Min(p => p.JobId), sweep.Summary.BestJobId);
    }

    [Fact]
    public async Task Cancel_StopsTheRunningPoint_AndCancelsTheQueuedOnes()
    {
        var file = await _system.AddSyntheticDatasetAsync(count: 3000, size: 32);
        await _system.StartWorkerAsync("worker-a");
        var endless = WebTrainerSystem.SmallSpec(file, epochs: 1000, batchSize: 16) with { Name = "ignored" };
        var created = await Sweeps.PostOkAsync(_system.Http, Sweeps.Grid("long", endless, """{"training.learningRate": [0.003, 0.001, 0.0003]}"""));
        await _system.WaitForJobAsync(created.JobIds[0], j => j.LastBatch is not null, TimeSpan.FromMinutes(2));

        using var response = await _system.Http.PostAsync($"/api/sweeps/{created.Id}/cancel", null);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var cancelled = Shared.Json.ContractJson.Deserialize<Shared.Sweeps.SweepCancelled>(await response.Content.ReadAsStringAsync());
        Assert.Equal((2, 1), (cancelled.CancelledWhileQueued, cancelled.StopRequested));
        foreach (var id in created.JobIds)
        {
            var job = await _system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromSeconds(30));
            Assert.Equal(JobStatus.Cancelled, job.Summary.Status);
        }
        Assert.True((await Sweeps.GetAsync(_system.Http, created.Id)).Summary.Finished);
    }

    [Fact]
    public async Task SweepJobs_KeepTheOwnersRunningLimit_WithTwoWorkersFree()
    {
        var file = await _system.AddSyntheticDatasetAsync(count: 600);
        await _system.StartWorkerAsync("worker-a");
        await _system.StartWorkerAsync("worker-b");
        var created = await Sweeps.PostOkAsync(_system.Http, Sweeps.Grid("limited", WebTrainerSystem.SmallSpec(file, epochs: 2) with { Name = "ignored" },
            """{"training.learningRate": [0.003, 0.001]}"""));

        var jobs = new List<JobSummary>();
        foreach (var id in created.JobIds)
        {
            jobs.Add((await _system.WaitForJobAsync(id, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(3))).Summary);
        }

        var ordered = jobs.OrderBy(j => j.StartedAt).ToList();
        Assert.True(ordered[1].StartedAt >= ordered[0].FinishedAt, $"sweep jobs overlap: {ordered[0]} / {ordered[1]}");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
