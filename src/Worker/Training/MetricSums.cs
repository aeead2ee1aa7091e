namespace WebTrainer.Worker.Training;

/// <summary>The running sums of a partial epoch; doubles survive JSON exactly (shortest round-trip form).</summary>
internal sealed record MetricSums(double LossSum, long Correct, long CorrectTop5, long Samples)
{
    public static MetricSums Zero { get; } = new(0, 0, 0, 0);
}
