namespace WebTrainer.Shared.Jobs;

/// <summary>
/// The answer to a submission: the new job's id, where to follow it, and what the job will run
/// into that is worth fixing (e.g. a file whose chunks make every sampling mode read far more than
/// the images); empty when nothing is.
/// </summary>
public sealed record JobCreated(long Id, JobStatus Status, string Url)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
