namespace WebTrainer.Shared.Jobs;

/// <summary>Which network to train and how to start it.</summary>
public sealed record ModelSpec
{
    /// <summary>One of <see cref="Architectures.All"/>.</summary>
    public string Architecture { get; init; } = Architectures.SmallCnn;

    /// <summary>Optional weights file (PyTorch state dict, safetensors or TorchSharp format), relative to a data root, to fine-tune from.</summary>
    public string? PretrainedWeights { get; init; }

    /// <summary>Epochs during which only the classifier head trains.</summary>
    public int FreezeBackboneEpochs { get; init; }

    /// <summary>Learning rate of the backbone as a multiple of the head's (fine-tuning).</summary>
    public double BackboneLearningRateFactor { get; init; } = 1.0;
}
