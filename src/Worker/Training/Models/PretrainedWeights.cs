using WebTrainer.Worker.Training.Models.StateDicts;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// Copies pretrained tensors into a model by name. A tensor whose shape differs (the classifier
/// head of a model trained for another class count) is skipped and reported; everything else
/// that matches is loaded. A file that matches nothing is refused: it is another architecture.
/// The file may be TorchSharp's format, a PyTorch <c>torch.save</c> state dict or safetensors
/// (<see cref="WeightsFile"/> tells them apart by content).
/// </summary>
internal static class PretrainedWeights
{
    public static PretrainedLoadReport Load(ImageClassifier model, string path)
    {
        var entries = WeightsFile.Read(path);
        try
        {
            var source = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, tensor) in entries)
            {
                source[name] = tensor;
            }
            int loaded = 0;
            var skipped = new List<string>();
            var missing = new List<string>();
            using (no_grad())
            {
                foreach (var (name, target) in model.state_dict())
                {
                    if (!source.Remove(name, out var tensor))
                    {
                        missing.Add(name);
                    }
                    else if (!tensor.shape.SequenceEqual(target.shape))
                    {
                        skipped.Add($"{name} [{string.Join(",", tensor.shape)}] (model has [{string.Join(",", target.shape)}])");
                    }
                    else
                    {
                        using var converted = tensor.to(target.dtype, target.device);
                        target.copy_(converted);
                        loaded++;
                    }
                }
            }
            if (loaded == 0)
            {
                throw new InvalidOperationException(
                    $"{Path.GetFileName(path)} has no tensor that fits a {model.GetName()}: is it weights for another architecture?");
            }
            return new PretrainedLoadReport(loaded, skipped, missing, source.Keys.ToList());
        }
        finally
        {
            entries.ForEach(e => e.Tensor.Dispose());
        }
    }
}
