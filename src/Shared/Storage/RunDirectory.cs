namespace WebTrainer.Shared.Storage;

/// <summary>
/// The files of one run in its directory (<c>{artifacts}/jobs/{id}/</c>). Paths only: the Web serves
/// them and the Worker writes them.
/// </summary>
public sealed record RunDirectory(string Path)
{
    /// <summary>Everything needed to continue the run exactly: weights, optimiser, schedule, position, RNG.</summary>
    public string LastCheckpoint => Combine("last.ckpt");

    /// <summary>Weights of the best epoch by the monitored metric.</summary>
    public string BestWeights => Combine("best.weights");

    /// <summary>The trained model's weights (TorchSharp format, TorchVision/PyTorch key names).</summary>
    public string ModelWeights => Combine(ModelWeightsFileName);

    /// <summary>The same weights as a PyTorch state dict (<c>torch.save</c>'s zip format), for <c>torch.load</c>.</summary>
    public string ModelPyTorch => Combine(ModelPyTorchFileName);

    /// <summary>The same weights as safetensors.</summary>
    public string ModelSafetensors => Combine(ModelSafetensorsFileName);

    /// <summary>What the model is and what input it expects: <c>ModelManifest</c>.</summary>
    public string Manifest => Combine(ManifestFileName);

    /// <summary>The run's TensorBoard event files.</summary>
    public string TensorBoard => Combine("tensorboard");

    public const string ModelWeightsFileName = "model.weights";
    public const string ModelPyTorchFileName = "model.pt";
    public const string ModelSafetensorsFileName = "model.safetensors";
    public const string ManifestFileName = "model.json";

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
