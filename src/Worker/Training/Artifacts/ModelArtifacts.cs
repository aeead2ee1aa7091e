using System.Text;
using WebTrainer.Shared.Json;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Models;

namespace WebTrainer.Worker.Training.Artifacts;

/// <summary>Writes and reads the trained model of a run: <c>model.weights</c> and <c>model.json</c>, each atomically.</summary>
internal static class ModelArtifacts
{
    public static void Write(RunDirectory run, ImageClassifier model, ModelManifest manifest)
    {
        AtomicFile.Write(run.ModelWeights, stream => BestWeights.Write(stream, model));
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
