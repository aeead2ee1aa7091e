namespace WebTrainer.Shared.Metrics;

/// <summary>The test split's evaluation after training.</summary>
public sealed record TestResults(
    double Loss,
    double Accuracy,
    double? Top5Accuracy,
    IReadOnlyList<string> Classes,
    IReadOnlyList<double> PerClassAccuracy,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix);
