namespace WebTrainer.Worker.Training.Models.StateDicts;

/// <summary>The formats of weights files, as <see cref="WeightsFile.Detect"/> tells them apart.</summary>
internal enum WeightsFormat
{
    TorchSharp,
    PyTorch,
    PyTorchLegacy,
    Safetensors,
}
