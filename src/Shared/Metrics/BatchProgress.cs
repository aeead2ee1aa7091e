namespace WebTrainer.Shared.Metrics;

/// <summary>Progress inside an epoch, reported a few times a second at most.</summary>
public sealed record BatchProgress(
    int Epoch,
    int Batch,
    int BatchesPerEpoch,
    double Loss,
    double Accuracy,
    double SamplesPerSecond,
    DateTimeOffset RecordedAt);
