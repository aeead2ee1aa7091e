using System.Text;
using TorchSharp.PyBridge;
using WebTrainer.Shared.Json;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Models;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Training.Artifacts;

/// <summary>
/// Writes and reads the trained model of a run: <c>model.weights</c> (TorchSharp), the same state
/// dict as <c>model.pt</c> (PyTorch) and <c>model.safetensors</c>, and <c>model.json</c>, each
/// atomically. The state-dict keys are torchvision's (or docs/small-cnn.md's), so
/// <c>model.load_state_dict(torch.load(f))</c> works on the matching PyTorch module.
/// </summary>
internal static class ModelArtifacts
{
    public static void Write(RunDirectory run, ImageClassifier model, ModelManifest manifest)
    {
        AtomicFile.Write(run.ModelWeights, stream => BestWeights.Write(stream, model));
        // Written here, in the run process, so the Web only serves files and never loads libtorch for a download.
        AtomicFile.Write(run.ModelPyTorch, stream => model.save_py(stream, leaveOpen: true));
        AtomicFile.Write(run.ModelSafetensors, stream => model.save_safetensors(stream, leaveOpen: true));
        // The manifest goes last: its presence means the weights beside it are complete.
        AtomicFile.Write(run.Manifest, stream => stream.Write(Encoding.UTF8.GetBytes(ContractJson.Serialize(manifest))));
    }

    public static ModelManifest ReadManifest(string path)
    {
        var manifest = ContractJson.Deserialize<ModelManifest>(File.ReadAllText(path));
        if (manifest.Format != ModelManifest.CurrentFormat)
        {
            throw new InvalidOperationException($"{path} has manifest format {manifest.Format}; this build reads format {ModelManifest.CurrentFormat}");
        }
        return manifest;
    }
}
