using TorchSharp;
using WebTrainer.Shared.Jobs;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>Builds the network a spec names, with its head sized for the dataset's classes.</summary>
internal static class ModelFactory
{
    public static nn.Module<Tensor, Tensor> Create(string architecture, int inputChannels, int classes) => architecture switch
    {
        Architectures.SmallCnn => new SmallCnn(inputChannels, classes),
        _ => throw new NotSupportedException(
            $"model.architecture '{architecture}' is not available; choose one of: {string.Join(", ", Architectures.All)}"),
    };
}
