using System.IO.Compression;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Training.TensorBoard;

namespace WebTrainer.Integration.Tests.Faults;

/// <summary>
/// A run process that dies by a signal or hangs is that job's problem: the Worker lives on, the run
/// resumes from its checkpoint, and a run that dies every time fails with a sentence saying why.
/// The faults are real: the run process raises SIGSEGV (or sleeps forever) at a chosen batch.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RunProcessFaultTests(PostgresServer server)
{
    private const string Fault = "WEBTRAINER_TEST_FAULT";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunProcessKilledBySigsegvOnce_WorkerLives_AndTheResumedRunEndsWithTheUninterruptedRunsResults(bool knobs)
    {
        await using var system = await WebTrainerSystem.CreateAsync(server);
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 1200);
        var spec = WebTrainerSystem.SmallSpec(file, epochs: 2, batchSize: 16) with { Name = "segv-once" };
        spec = spec with { Training = spec.Training with { CheckpointEveryBatches = 4 } };
        if (knobs)
        {
            // 53 batches per epoch in groups of 4 (14 steps): the death at epoch 2, batch 7 falls inside the group of
            // batches 5 to 8 and inside the warmup (step 15 of 20), with every step clipped.
            spec = spec with { Training = spec.Training with { GradientAccumulationSteps = 4, WarmupSteps = 20, GradientClipNorm = 1.0 } };
        }

        var plain = await system.StartWorkerAsync("plain");
        var reference = await system.WaitForJobAsync(await system.SubmitOkAsync(spec), j => j.Summary.Status is JobStatus.Succeeded or JobStatus.Failed,
            TimeSpan.FromMinutes(3));
        Assert.Equal(JobStatus.Succeeded, reference.Summary.Status);
        await plain.StopAsync(TimeSpan.FromSeconds(20));

        // Dies in epoch 2, batch 7, three batches after the checkpoint at batch 4, on the first attempt only.
        var faulty = await system.StartWorkerAsync("faulty", new Dictionary<string, string?> { [Fault] = "segv:2:7:1" });
        var id = await system.SubmitOkAsync(spec);
        var resumed = await system.WaitForJobAsync(id, j => j.Summary.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Succeeded, resumed.Summary.Status);
        Assert.False(faulty.HasExited, "the Worker must outlive its run process");
        Assert.Equal(reference.Test!.Accuracy, resumed.Test!.Accuracy);
        Assert.Equal(reference.Test.Loss, resumed.Test.Loss);
        Assert.Equal(reference.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)),
            resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)));
        var events = await system.Http.GetStringAsync($"/api/jobs/{id}/events");
        Assert.Contains("The training process died with SIGSEGV (segmentation fault) at epoch 2, batch 7 (attempt 1 of 3)", events, StringComparison.Ordinal);
        Assert.Contains("Attempt 2 of 3: resuming from the last checkpoint", events, StringComparison.Ordinal);
        Assert.Contains("Continuing", events, StringComparison.Ordinal);
        Assert.Equal(2L, await Db.CountAsync(system.ConnectionString, "SELECT attempts FROM jobs WHERE id = @job", id));

        // The resumed run's TensorBoard file has each step once: what followed the checkpoint was dropped on resume.
        using var zip = new ZipArchive(await system.Http.GetStreamAsync($"/api/jobs/{id}/artifacts/tensorboard"));
        using var board = new MemoryStream();
        await using (var entry = Assert.Single(zip.Entries).Open())
        {
            await entry.CopyToAsync(board);
        }
        board.Position = 0;
        var scalars = EventRecords.Read(board).Select(r => ScalarEvent.Decode(r)!).ToList();
        var batchSteps = scalars.Where(e => e.Tag == "batch/loss").Select(e => e.Step).ToList();
        Assert.Equal(batchSteps.Distinct().Order(), batchSteps);
        Assert.Equal([1L, 2], scalars.Where(e => e.Tag == "epoch/val_loss").Select(e => e.Step));
    }

    [Fact]
    public async Task RunProcessDyingAtEveryAttempt_FailsAfterMaxAttempts_AndTheNextJobSucceedsOnTheSameWorker()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server);
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 600);
        // Every attempt dies in epoch 2; a one-epoch job never gets there.
        var worker = await system.StartWorkerAsync("worker-a", new Dictionary<string, string?> { [Fault] = "segv:2:1:*" });

        var doomed = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 2) with { Name = "doomed" });
        var behind = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 1) with { Name = "behind" });
        var failed = await system.WaitForJobAsync(doomed, j => j.Summary.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromMinutes(3));
        var next = await system.WaitForJobAsync(behind, j => j.Summary.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Failed, failed.Summary.Status);
        Assert.Equal("The training process died with SIGSEGV (segmentation fault) at epoch 2, batch 1, on 3 attempts; see the job log",
            failed.Summary.Error);
        Assert.Equal(3L, await Db.CountAsync(system.ConnectionString, "SELECT attempts FROM jobs WHERE id = @job", doomed));
        Assert.Equal(JobStatus.Succeeded, next.Summary.Status);
        Assert.Equal("worker-a", next.WorkerName);
        Assert.False(worker.HasExited, "the Worker must outlive its run processes");
        var events = await system.Http.GetStringAsync($"/api/jobs/{doomed}/events");
        Assert.Contains("Last output of the training process", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HungRunProcess_IsKilledAfterTheStallTimeout_AndTheJobFails()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["JobQueue__StallTimeout"] = "00:00:08",
            ["JobQueue__MaxAttempts"] = "1",
        });
        await system.StartWebAsync();
        var file = await system.AddSyntheticDatasetAsync(count: 600);
        var worker = await system.StartWorkerAsync("worker-a", new Dictionary<string, string?> { [Fault] = "hang:1:3:*" });

        var id = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 1) with { Name = "hangs" });
        var job = await system.WaitForJobAsync(id, j => j.Summary.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromMinutes(2));

        Assert.Equal(JobStatus.Failed, job.Summary.Status);
        Assert.Matches(@"^The training process made no progress for \d+ s at epoch 1, batch 3 and was killed, on 1 attempt; see the job log$",
            job.Summary.Error);
        Assert.False(worker.HasExited, "the Worker must outlive its run process");
    }
}
