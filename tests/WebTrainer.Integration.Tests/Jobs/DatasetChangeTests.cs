using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Jobs;

/// <summary>Jobs queued while no Worker runs, their files then changed: the real Worker refuses them when it starts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatasetChangeTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync()
    {
        _system = await WebTrainerSystem.CreateAsync(server);
        await _system.StartWebAsync();
    }

    [Fact]
    public async Task FileChangedAfterSubmission_FailsTheQueuedJob_WithTheClearError()
    {
        var rewritten = await _system.AddSyntheticDatasetAsync("rewritten.h5", count: 200);
        var sameSizeAndTime = await _system.AddSyntheticDatasetAsync("tampered.h5", count: 200);
        var rewrittenJob = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(rewritten));
        var tamperedJob = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(sameSizeAndTime));

        await _system.AddSyntheticDatasetAsync("rewritten.h5", count: 240);
        // Same size and modification time, one byte different at the end: only the hash of the file's ends sees it.
        var tamperedPath = Path.Combine(_system.DataRoot, sameSizeAndTime);
        var modified = File.GetLastWriteTimeUtc(tamperedPath);
        var bytes = await File.ReadAllBytesAsync(tamperedPath);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(tamperedPath, bytes);
        File.SetLastWriteTimeUtc(tamperedPath, modified);
        await _system.StartWorkerAsync("worker-a");

        var first = await _system.WaitForJobAsync(rewrittenJob, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(2));
        var second = await _system.WaitForJobAsync(tamperedJob, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(2));

        Assert.Equal(JobStatus.Failed, first.Summary.Status);
        Assert.Matches(
            @"^dataset file rewritten\.h5 changed since this job was validated \(size (\d+) → (?!\1 )\d+ bytes, modified .+ UTC → .+ UTC\); " +
            "submit it again to validate the new file$", first.Summary.Error);
        Assert.Equal(JobStatus.Failed, second.Summary.Status);
        Assert.Matches(
            @"^dataset file tampered\.h5 changed since this job was validated \(size (\d+) → \1 bytes, modified (.+ UTC) → \2, " +
            "and its first or last 64 KiB differ\\); submit it again to validate the new file$", second.Summary.Error);
        Assert.Equal(0L, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM epoch_metrics WHERE job_id = @job", rewrittenJob));
    }

    [Fact]
    public async Task UnchangedFile_Trains_AndAJobFromBeforeTheIdentityWasRecordedIsNotChecked()
    {
        var file = await _system.AddSyntheticDatasetAsync("kept.h5", count: 200);
        var legacyFile = await _system.AddSyntheticDatasetAsync("legacy.h5", count: 200);
        var checkedJob = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        var legacyJob = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(legacyFile));
        Assert.Equal(1L, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM jobs WHERE id = @job AND dataset_identity IS NOT NULL", checkedJob));
        // As a job queued before migration 0009 has it; its file then changes (same content, newer time).
        await Db.ExecuteAsync(_system.ConnectionString, "UPDATE jobs SET dataset_identity = NULL WHERE id = @job", legacyJob);
        File.SetLastWriteTimeUtc(Path.Combine(_system.DataRoot, legacyFile), DateTime.UtcNow.AddMinutes(1));
        await _system.StartWorkerAsync("worker-a");

        var kept = await _system.WaitForJobAsync(checkedJob, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(3));
        var legacy = await _system.WaitForJobAsync(legacyJob, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Succeeded, kept.Summary.Status);
        Assert.Equal(JobStatus.Succeeded, legacy.Summary.Status);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
