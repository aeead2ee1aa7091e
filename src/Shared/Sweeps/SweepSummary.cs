using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Sweeps;

/// <summary>One row of the sweeps list: what was searched and how far its jobs are.</summary>
public sealed record SweepSummary(
    long Id,
    string Name,
    string Owner,
    string Kind,
    IReadOnlyList<string> Paths,
    int Points,
    IReadOnlyDictionary<JobStatus, int> StatusCounts,
    double? BestValidationAccuracy,
    long? BestJobId,
    DateTimeOffset CreatedAt)
{
    public const string Grid = "grid";
    public const string Random = "random";

    /// <summary>Every point's job has ended.</summary>
    public bool Finished => StatusCounts.GetValueOrDefault(JobStatus.Queued) + StatusCounts.GetValueOrDefault(JobStatus.Running) == 0;
}
