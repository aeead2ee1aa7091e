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
    string? Error);
