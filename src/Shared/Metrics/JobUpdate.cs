using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Metrics;

/// <summary>
/// What the Worker announces over PostgreSQL NOTIFY and the Web relays to browsers over SignalR.
/// Exactly one of the payloads is set, as <see cref="Kind"/> says.
/// </summary>
public sealed record JobUpdate
{
    public long JobId { get; init; }
    public JobUpdateKind Kind { get; init; }
    public JobStatus? Status { get; init; }
    public EpochMetrics? Epoch { get; init; }
    public BatchProgress? Batch { get; init; }
    public JobEvent? Event { get; init; }
}
