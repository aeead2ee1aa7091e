namespace WebTrainer.Shared.Jobs;

/// <summary>
/// <c>step</c> (multiply by <see cref="Gamma"/> every <see cref="StepEpochs"/>),
/// <c>cosine</c> (to <see cref="MinLearningRate"/> over the run) or
/// <c>plateau</c> (multiply by <see cref="Gamma"/> after <see cref="Patience"/> epochs without improvement).
/// </summary>
public sealed record LearningRateSchedule
{
    public string Kind { get; init; } = "step";
    public int StepEpochs { get; init; } = 10;
    public double Gamma { get; init; } = 0.1;
    public double MinLearningRate { get; init; }
    public int Patience { get; init; } = 3;
}
