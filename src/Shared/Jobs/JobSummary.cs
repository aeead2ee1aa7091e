namespace WebTrainer.Shared.Jobs;

/// <summary>One row of the jobs list.</summary>
public sealed record JobSummary(
    long Id,
    string Name,
    string Owner,
    JobStatus Status,
    string DatasetFile,
    string Architecture,
    int Epoch,
    int TotalEpochs,
    double? BestValidationAccuracy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    /// <summary>Higher runs first among queued jobs; admins change it.</summary>
    public int Priority { get; init; }

    /// <summary><see cref="JobKinds.Train"/> or <see cref="JobKinds.Optimize"/>.</summary>
    public string Kind { get; init; } = JobKinds.Train;

    /// <summary>For an optimise job: the file it writes, relative to its data root.</summary>
    public string? OutputFile { get; init; }

    /// <summary>1 for the next job to start, for queued jobs; null otherwise.</summary>
    public int? QueuePosition { get; init; }

    /// <summary>When a queued job is expected to start, from the running jobs' progress and past run times.</summary>
    public DateTimeOffset? EstimatedStartAt { get; init; }
}
