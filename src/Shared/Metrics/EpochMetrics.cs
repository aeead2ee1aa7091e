namespace WebTrainer.Shared.Metrics;

/// <summary>What one epoch measured: training, validation and the data pipeline.</summary>
public sealed record EpochMetrics
{
    public int Epoch { get; init; }
    public double TrainLoss { get; init; }
    public double TrainAccuracy { get; init; }
    public double? TrainTop5Accuracy { get; init; }
    public double? ValidationLoss { get; init; }
    public double? ValidationAccuracy { get; init; }
    public double? ValidationTop5Accuracy { get; init; }
    public double LearningRate { get; init; }
    public double SamplesPerSecond { get; init; }
    public double DataStallPercent { get; init; }
    public double ReadMegabytesPerSecond { get; init; }
    public double ReadMs { get; init; }
    public double AugmentMs { get; init; }
    public long ElapsedMs { get; init; }
}
