namespace WebTrainer.Worker.Training;

/// <summary>How far an epoch has come: the next batch to train on, the sums so far and the time spent (for images/s and stall %).</summary>
internal sealed record EpochPosition(int NextBatch, MetricSums Sums, double ElapsedMs, double WaitMs)
{
    public static EpochPosition Start { get; } = new(0, MetricSums.Zero, 0, 0);
}
