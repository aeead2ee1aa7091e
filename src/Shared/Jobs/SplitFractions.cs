namespace WebTrainer.Shared.Jobs;

/// <summary>Fractions that split one dataset pair into train, validation and test, shuffled by <see cref="Seed"/>.</summary>
public sealed record SplitFractions
{
    public double Train { get; init; } = 0.7;
    public double Validation { get; init; } = 0.2;
    public double Test { get; init; } = 0.1;
    public int Seed { get; init; } = 42;

    /// <summary>The one rule, for the API's validator and the Worker alike: train &gt; 0, the others &gt;= 0, summing to 1.</summary>
    public bool IsValid => Train > 0 && Validation >= 0 && Test >= 0 && Math.Abs(Train + Validation + Test - 1) < 1e-6;

    public const string Rule = "train must be > 0, validation and test >= 0, and the three must sum to 1";
}
