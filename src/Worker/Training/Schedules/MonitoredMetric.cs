using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Worker.Training.Schedules;

/// <summary>
/// The epoch metric that early stopping, the best checkpoint and the plateau schedule watch.
/// Without a validation split the train metric of the same kind stands in (the trainer says so in an event).
/// </summary>
internal sealed record MonitoredMetric(string Name, bool HigherIsBetter)
{
    public const string ValidationLoss = Monitors.ValidationLoss;
    public const string ValidationAccuracy = Monitors.ValidationAccuracy;

    public static MonitoredMetric For(string? monitor) => (monitor ?? ValidationLoss) switch
    {
        ValidationLoss => new(ValidationLoss, HigherIsBetter: false),
        ValidationAccuracy => new(ValidationAccuracy, HigherIsBetter: true),
        var other => throw new InvalidOperationException(
            $"training.earlyStopping.monitor '{other}' is not available; choose {ValidationLoss} or {ValidationAccuracy}"),
    };

    public double ValueOf(EpochMetrics metrics) => HigherIsBetter
        ? metrics.ValidationAccuracy ?? metrics.TrainAccuracy
        : metrics.ValidationLoss ?? metrics.TrainLoss;

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>.</summary>
    public bool Improves(double value, double? best, double minDelta) =>
        !double.IsNaN(value) && (best is not { } b || (HigherIsBetter ? value > b + minDelta : value < b - minDelta));
}
