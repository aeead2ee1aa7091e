using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Training.Schedules;

namespace WebTrainer.Worker.Training.Checkpoints;

/// <summary>
/// The plain-number part of a checkpoint (its JSON header): where the run stands and what the
/// schedule, early stopping and the partial epoch's sums remember. Weights, optimiser state and
/// the RNG state follow it in the file as binary.
/// </summary>
internal sealed record CheckpointState
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string SpecFingerprint { get; init; }
    public required string Architecture { get; init; }

    /// <summary>The epoch in progress, or the next to run (1-based); Epochs + 1 once training is done.</summary>
    public required int Epoch { get; init; }

    /// <summary>The first batch of <see cref="Epoch"/> not yet trained on.</summary>
    public required int NextBatch { get; init; }

    public MetricSums Sums { get; init; } = MetricSums.Zero;
    public double PartialElapsedMs { get; init; }
    public double PartialWaitMs { get; init; }
    public SchedulerState Scheduler { get; init; } = SchedulerState.Initial;
    public EarlyStoppingState EarlyStopping { get; init; } = EarlyStoppingState.Initial;

    /// <summary>Metrics of the finished epochs, re-reported on resume (the database upserts by epoch).</summary>
    public IReadOnlyList<EpochMetrics> History { get; init; } = [];

    public DateTimeOffset WrittenAt { get; init; }
}
