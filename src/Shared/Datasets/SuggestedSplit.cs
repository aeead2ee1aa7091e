namespace WebTrainer.Shared.Datasets;

/// <summary>An image dataset and the label dataset that goes with it, for one split.</summary>
public sealed record SuggestedSplit
{
    /// <summary><c>train</c>, <c>validation</c> or <c>test</c>.</summary>
    public string Name { get; init; } = "";
    public string Images { get; init; } = "";
    public string Labels { get; init; } = "";
    public long Count { get; init; }
}
