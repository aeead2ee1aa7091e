namespace WebTrainer.Web.Jobs;

/// <summary>What a submission came to: a queued job, or the problems that stopped it (nothing queued).</summary>
internal sealed record SubmitResult(long? JobId, IDictionary<string, string[]>? FieldErrors, string? Problem)
{
    public static SubmitResult Queued(long id) => new(id, null, null);

    public static SubmitResult Invalid(IDictionary<string, string[]> errors) => new(null, errors, null);

    public static SubmitResult Rejected(string problem) => new(null, null, problem);
}
