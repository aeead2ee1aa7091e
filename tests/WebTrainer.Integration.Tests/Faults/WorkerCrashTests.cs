using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Faults;

/// <summary>kill -9 of a Worker mid-epoch: the job resumes from its checkpoint on the next Worker and ends as if nothing happened.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkerCrashTests(PostgresServer server)
{
    [Fact]
    public async Task KilledWorker_JobResumesOnTheNextWorker_WithTheUninterruptedRunsResults()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["JobQueue__InvisibilityTimeout"] = "00:00:05",
        });
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 3000);
        var spec = WebTrainerSystem.SmallSpec(file, epochs: 3, batchSize: 16) with { Name = "resume" };
        spec = spec with { Training = spec.Training with { CheckpointEveryBatches = 5 } };
        var first = await system.StartWorkerAsync("worker-a");

        var uninterrupted = await system.SubmitOkAsync(spec);
        var reference = await system.WaitForJobAsync(uninterrupted, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(3));
        var crashed = await system.SubmitOkAsync(spec);
        await system.WaitForJobAsync(crashed, j => j.LastBatch is { Epoch: >= 2 } && j.Summary.Status == JobStatus.Running, TimeSpan.FromMinutes(3));
        await first.KillAsync();
        await system.StartWorkerAsync("worker-b");
        var resumed = await system.WaitForJobAsync(crashed, j => j.Summary.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Succeeded, resumed.Summary.Status);
        Assert.Equal("worker-b", resumed.WorkerName);
        Assert.Equal(reference.Test!.Accuracy, resumed.Test!.Accuracy);
        Assert.Equal(reference.Test.Loss, resumed.Test.Loss);
        Assert.Equal(reference.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy)),
            resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy)));
        var events = await system.Http.GetStringAsync($"/api/jobs/{crashed}/events");
        Assert.Contains("Started on worker worker-a", events, StringComparison.Ordinal);
        Assert.Contains("Started on worker worker-b", events, StringComparison.Ordinal);
        Assert.Contains("Continuing", events, StringComparison.Ordinal);
    }
}
