namespace WebTrainer.Shared.Jobs;

/// <summary>The image and label dataset names (HDF5 paths) of one split.</summary>
public sealed record SplitSpec
{
    public string Images { get; init; } = "";
    public string Labels { get; init; } = "";
}
