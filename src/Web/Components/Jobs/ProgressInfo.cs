using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Web.Components.Jobs;

/// <summary>How far a run is: the bar's fraction, its text and, while running, the time left.</summary>
internal readonly record struct ProgressInfo(double Fraction, string Text, TimeSpan? Remaining)
{
    public static ProgressInfo Of(JobSummary job, BatchProgress? batch, DateTimeOffset now)
    {
        if (job.Kind == JobKinds.Optimize)
        {
            return OfOptimize(job, batch, now);
        }
        if (job.TotalEpochs <= 0)
        {
            return new ProgressInfo(0, "no epochs", null);
        }
        if (job.Status == JobStatus.Succeeded)
        {
            return new ProgressInfo(1, $"epoch {job.Epoch}/{job.TotalEpochs}", null);
        }
        double fraction = (double)job.Epoch / job.TotalEpochs;
        string text = $"epoch {job.Epoch}/{job.TotalEpochs}";
        // A batch of a later epoch than the last finished one is the epoch in progress.
        if (job.Status == JobStatus.Running && batch is not null && batch.Epoch > job.Epoch && batch.BatchesPerEpoch > 0)
        {
            fraction = (batch.Epoch - 1 + (double)batch.Batch / batch.BatchesPerEpoch) / job.TotalEpochs;
            text = $"epoch {batch.Epoch}/{job.TotalEpochs} · batch {batch.Batch}/{batch.BatchesPerEpoch}";
        }
        return new ProgressInfo(Math.Clamp(fraction, 0, 1), text, TimeLeft(job, Math.Clamp(fraction, 0, 1), now));
    }

    /// <summary>An optimise job's progress is rows written of all image rows (its one "epoch", batch = rows).</summary>
    private static ProgressInfo OfOptimize(JobSummary job, BatchProgress? batch, DateTimeOffset now)
    {
        if (job.Status == JobStatus.Succeeded)
        {
            return new ProgressInfo(1, batch is null ? "written" : $"{batch.BatchesPerEpoch} rows written", null);
        }
        if (batch is null || batch.BatchesPerEpoch <= 0)
        {
            return new ProgressInfo(0, "no rows written yet", null);
        }
        double fraction = Math.Clamp((double)batch.Batch / batch.BatchesPerEpoch, 0, 1);
        return new ProgressInfo(fraction, $"rows {batch.Batch}/{batch.BatchesPerEpoch}", TimeLeft(job, fraction, now));
    }

    private static TimeSpan? TimeLeft(JobSummary job, double fraction, DateTimeOffset now)
    {
        TimeSpan? remaining = null;
        // Elapsed time scaled by what is left includes validation and start-up; too noisy below 2 %.
        if (job.Status == JobStatus.Running && job.StartedAt is { } started && fraction >= 0.02)
        {
            var elapsed = now - started;
            remaining = elapsed * ((1 - fraction) / fraction);
        }
        return remaining;
    }

    public string Width => (Fraction * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
