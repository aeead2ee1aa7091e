namespace WebTrainer.Web.Jobs;

/// <summary>What a submission came to: a queued job, or the problems that stopped it (nothing queued).</summary>
internal sealed record SubmitResult(long? JobId, IDictionary<string, string[]>? FieldErrors, string? Problem)
{
    /// <summary>Advice for a queued job (see <see cref="WebTrainer.Shared.Jobs.JobCreated.Warnings"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static SubmitResult Queued(long id, IReadOnlyList<string> warnings) => new(id, null, null) { Warnings = warnings };

    public static SubmitResult Invalid(IDictionary<string, string[]> errors) => new(null, errors, null);

    public static SubmitResult Rejected(string problem) => new(null, null, problem);

    /// <summary>The owner's queued and running jobs are at <c>Jobs:MaxQueuedPerUser</c> (answered 429).</summary>
    public bool QuotaExceeded { get; init; }

    public static SubmitResult OverQuota(string problem) => new(null, null, problem) { QuotaExceeded = true };
}
