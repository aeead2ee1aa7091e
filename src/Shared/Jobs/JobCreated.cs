namespace WebTrainer.Shared.Jobs;

/// <summary>The answer to a submission: the new job's id and where to follow it.</summary>
public sealed record JobCreated(long Id, JobStatus Status, string Url);
