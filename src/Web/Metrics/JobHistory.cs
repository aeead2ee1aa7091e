using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Web.Metrics;

/// <summary>Everything the database holds about one job at the moment it was read.</summary>
internal sealed record JobHistory(
    JobSummary Summary,
    JobSpec Spec,
    string? WorkerName,
    IReadOnlyList<EpochMetrics> Epochs,
    IReadOnlyList<BatchProgress> Batches,
    IReadOnlyList<JobEvent> Events,
    TestResults? Test)
{
    /// <summary>For an optimise job: what it rewrites and how; null for training.</summary>
    public OptimizeSpec? Optimize { get; init; }

    /// <summary>Null when there is no such job.</summary>
    public static async Task<JobHistory?> LoadAsync(long jobId, JobRepository jobs, MetricsRepository metrics, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(jobId, cancellationToken);
        if (row is null)
        {
            return null;
        }
        var epochs = await metrics.GetEpochsAsync(jobId, cancellationToken);
        var batches = await metrics.GetBatchesAsync(jobId, null, cancellationToken);
        var events = await metrics.GetEventsAsync(jobId, 0, cancellationToken);
        return new JobHistory(row.ToSummary(), row.ParsedSpec, row.WorkerName, epochs, batches, events, row.ParsedTestResults)
        {
            Optimize = row.ParsedOptimize,
        };
    }
}
