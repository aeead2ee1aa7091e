using WebTrainer.Shared.Sweeps;

namespace WebTrainer.Web.Sweeps;

/// <summary>What a sweep submission came to: the sweep and its queued jobs, or the problems that stopped it (nothing queued).</summary>
internal sealed record SweepSubmitResult(SweepCreated? Created, IDictionary<string, string[]>? FieldErrors, string? Problem)
{
    /// <summary>The points would take the owner past <c>Jobs:MaxQueuedPerUser</c> (answered 429); nothing was queued.</summary>
    public bool QuotaExceeded { get; init; }
}
