using System.Net;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Jobs;

[Collection(PostgresCollection.Name)]
public sealed class JobLifecycleTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync()
    {
        _system = await WebTrainerSystem.CreateAsync(server);
        await _system.StartWebAsync();
    }

    [Fact]
    public async Task OneEpochJob_Succeeds_AndItsMetricRowsExist()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        await _system.StartWorkerAsync("worker-a");

        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 1));
        var job = await _system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(2));

        Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        var epoch = Assert.Single(job.Epochs);
        Assert.Equal(1, epoch.Epoch);
        Assert.NotNull(epoch.ValidationAccuracy);
        Assert.True(epoch.SamplesPerSecond > 0);
        Assert.NotNull(job.Test);
        Assert.Equal(1, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM epoch_metrics WHERE job_id = @job", id));
        Assert.True(await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM batch_progress WHERE job_id = @job", id) > 0);
        Assert.Equal("worker-a", job.WorkerName);
    }

    [Fact]
    public async Task DivergingJob_EndsFailed_WithTheNaNSentence_OnItsFirstAttempt()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        await _system.StartWorkerAsync("worker-a");
        var spec = WebTrainerSystem.SmallSpec(file, epochs: 2);
        spec = spec with { Training = spec.Training with { Optimizer = Optimizers.Sgd, LearningRate = 10, Momentum = 0.9 } };

        var id = await _system.SubmitOkAsync(spec);
        var job = await _system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(2));

        Assert.Equal(JobStatus.Failed, job.Summary.Status);
        Assert.Matches(@"^The loss became (NaN|infinite) at epoch \d+, batch \d+; try a lower learning rate or gradient clipping$", job.Summary.Error);
        Assert.Equal(1L, await Db.CountAsync(_system.ConnectionString, "SELECT attempts FROM jobs WHERE id = @job", id));
    }

    [Fact]
    public async Task TwoEpochJob_TrainsAfterValidation_AndLearns()
    {
        // Validation runs without gradients; the next epoch must train again (grad mode is thread-local in libtorch).
        var file = await _system.AddSyntheticDatasetAsync(count: 1200);
        await _system.StartWorkerAsync("worker-a");

        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 2));
        var job = await _system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        Assert.Equal([1, 2], job.Epochs.Select(e => e.Epoch));
        // Four classes: chance is 25 %.
        Assert.True(job.Test!.Accuracy > 0.5, $"test accuracy {job.Test.Accuracy}");
    }

    [Fact]
    public async Task RunningJob_Cancel_EndsCancelledAtTheNextBatch()
    {
        var file = await _system.AddSyntheticDatasetAsync(count: 3000, size: 32);
        await _system.StartWorkerAsync("worker-a");
        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 1000, batchSize: 16));
        await _system.WaitForJobAsync(id, j => j.LastBatch is not null, TimeSpan.FromMinutes(2));

        using var response = await _system.Http.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await _system.WaitForJobAsync(id, j => j.Summary.Status != JobStatus.Running, TimeSpan.FromSeconds(20));

        Assert.Equal(JobStatus.Cancelled, job.Summary.Status);
        Assert.True(job.Summary.Epoch < 1000);
        var events = await _system.Http.GetStringAsync($"/api/jobs/{id}/events");
        Assert.Contains("Cancelled on request", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueuedJob_Cancel_EndsCancelled_AndNoWorkerRunsIt()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));

        using var response = await _system.Http.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _system.StartWorkerAsync("worker-a");
        // A job queued after the cancelled one: once the Worker has run it, it has passed the cancelled one by.
        var later = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        await _system.WaitForJobAsync(later, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(2));

        var job = await _system.GetJobAsync(id);
        Assert.Equal(JobStatus.Cancelled, job.Summary.Status);
        Assert.Null(job.WorkerName);
        Assert.Equal(0, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM job_events WHERE job_id = @job", id));
    }

    [Fact]
    public async Task FinishedJob_Cancel_IsAConflict()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        await _system.StartWorkerAsync("worker-a");
        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        await _system.WaitForJobAsync(id, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(2));

        using var response = await _system.Http.PostAsync($"/api/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
