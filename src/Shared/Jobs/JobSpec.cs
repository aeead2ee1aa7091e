namespace WebTrainer.Shared.Jobs;

/// <summary>What a user asks to train: the body of <c>POST /api/jobs</c>.</summary>
public sealed record JobSpec
{
    public string Name { get; init; } = "";
    public DatasetSpec Dataset { get; init; } = new();
    public ModelSpec Model { get; init; } = new();
    public TrainingSpec Training { get; init; } = new();
    public AugmentationSpec Augmentation { get; init; } = new();
}
