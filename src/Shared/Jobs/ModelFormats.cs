namespace WebTrainer.Shared.Jobs;

/// <summary>The <c>format</c> of <c>GET /api/jobs/{id}/artifacts/model</c>.</summary>
public static class ModelFormats
{
    /// <summary>A zip of model.weights and model.json (the default).</summary>
    public const string Zip = "zip";

    /// <summary>model.weights: TorchSharp's state-dict format (<c>Module.load</c>, or pretrainedWeights of another job).</summary>
    public const string TorchSharp = "torchsharp";

    /// <summary>model.pt: a PyTorch state dict as <c>torch.save</c> writes it, for <c>model.load_state_dict(torch.load(f))</c>.</summary>
    public const string PyTorch = "pt";

    /// <summary>model.safetensors: the same state dict as safetensors.</summary>
    public const string Safetensors = "safetensors";

    public static readonly IReadOnlyList<string> All = [Zip, TorchSharp, PyTorch, Safetensors];
}
