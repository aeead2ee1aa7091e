using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Web.Components.Jobs;

namespace WebTrainer.Integration.Tests.Components;

/// <summary>The progress bar of an optimise job counts rows written of all rows; a training job's still counts epochs and batches.</summary>
public sealed class ProgressInfoTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OptimiseJob_Running_ShowsRowsWrittenAndTheTimeLeft()
    {
        var job = Summary(JobKinds.Optimize, JobStatus.Running);
        var batch = new BatchProgress(1, 450, 1800, 0, 0, 100, Start.AddMinutes(1));

        var info = ProgressInfo.Of(job, batch, Start.AddMinutes(1));

        Assert.Equal(0.25, info.Fraction);
        Assert.Equal("rows 450/1800", info.Text);
        Assert.Equal(TimeSpan.FromMinutes(3), info.Remaining);
    }

    [Fact]
    public void OptimiseJob_Succeeded_IsFull_AndQueued_IsEmpty()
    {
        var done = ProgressInfo.Of(Summary(JobKinds.Optimize, JobStatus.Succeeded), new BatchProgress(1, 1800, 1800, 0, 0, 100, Start), Start);
        var queued = ProgressInfo.Of(Summary(JobKinds.Optimize, JobStatus.Queued), null, Start);

        Assert.Equal((1.0, null), (done.Fraction, done.Remaining));
        Assert.EndsWith("rows written", done.Text, StringComparison.Ordinal);
        Assert.Equal((0.0, "no rows written yet"), (queued.Fraction, queued.Text));
    }

    [Fact]
    public void TrainingJob_StillCountsEpochsAndBatches()
    {
        var info = ProgressInfo.Of(Summary(JobKinds.Train, JobStatus.Running) with { TotalEpochs = 2 },
            new BatchProgress(1, 5, 10, 1, 0.5, 100, Start), Start.AddMinutes(1));

        Assert.Equal(0.25, info.Fraction);
        Assert.Equal("epoch 1/2 · batch 5/10", info.Text);
    }

    private static JobSummary Summary(string kind, JobStatus status) =>
        new(1, "j", "a@b", status, "food.h5", kind == JobKinds.Optimize ? JobKinds.Optimize : "small_cnn", 0, 1, null, Start, Start, null, null)
        {
            Kind = kind,
        };
}
