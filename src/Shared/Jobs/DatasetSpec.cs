namespace WebTrainer.Shared.Jobs;

/// <summary>
/// An HDF5 file relative to a configured data root, and where its splits are.
/// Either one dataset pair per split, or only <see cref="Train"/> with <see cref="SplitFractions"/>
/// to carve validation and test out of it reproducibly.
/// </summary>
public sealed record DatasetSpec
{
    public string File { get; init; } = "";
    public SplitSpec Train { get; init; } = new() { Images = "train_img", Labels = "train_labels" };
    public SplitSpec? Validation { get; init; }
    public SplitSpec? Test { get; init; }
    public SplitFractions? SplitFractions { get; init; }
}
