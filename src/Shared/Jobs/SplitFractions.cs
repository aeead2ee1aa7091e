namespace WebTrainer.Shared.Jobs;

/// <summary>Fractions that split one dataset pair into train, validation and test, shuffled by <see cref="Seed"/>.</summary>
public sealed record SplitFractions
{
    public double Train { get; init; } = 0.7;
    public double Validation { get; init; } = 0.2;
    public double Test { get; init; } = 0.1;
    public int Seed { get; init; } = 42;
}
