namespace WebTrainer.Shared.Jobs;

/// <summary>Stop when <see cref="Monitor"/> has not improved by <see cref="MinDelta"/> for <see cref="Patience"/> epochs.</summary>
public sealed record EarlyStoppingSpec
{
    /// <summary><c>val_loss</c> (lower is better) or <c>val_accuracy</c> (higher is better).</summary>
    public string Monitor { get; init; } = "val_loss";
    public int Patience { get; init; } = 3;
    public double MinDelta { get; init; }
    public bool RestoreBest { get; init; } = true;
}
