using WebTrainer.Shared.Metrics;

namespace WebTrainer.Shared.Jobs;

/// <summary>A job with its spec, per-epoch metrics and, once tested, its test results.</summary>
public sealed record JobDetail(
    JobSummary Summary,
    JobSpec Spec,
    string? WorkerName,
    IReadOnlyList<EpochMetrics> Epochs,
    BatchProgress? LastBatch,
    TestResults? Test)
{
    /// <summary>For an optimise job: what it rewrites, where to and how; null for training.</summary>
    public OptimizeSpec? Optimize { get; init; }
}
