using WebTrainer.Shared.Helpers;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Training.Artifacts;

namespace WebTrainer.Worker.Helpers;

/// <summary>Loaded models of this helper process: a few at a time, the least recently used disposed first.</summary>
internal sealed class PredictorCache : IDisposable
{
    public const int Capacity = 4;

    private readonly LinkedList<(string Folder, Predictor Predictor)> _loaded = new();

    public IReadOnlyList<Prediction> Predict(PredictRequest request)
    {
        if (!File.Exists(Path.Combine(request.ModelFolder, RunDirectory.ManifestFileName)))
        {
            throw new ArgumentException($"{request.ModelFolder} has no trained model");
        }
        return Get(request.ModelFolder).PredictEncoded(request.Image, Math.Clamp(request.Top, 1, 100));
    }

    private Predictor Get(string folder)
    {
        for (var node = _loaded.First; node is not null; node = node.Next)
        {
            if (node.Value.Folder == folder)
            {
                _loaded.Remove(node);
                _loaded.AddFirst(node);
                return node.Value.Predictor;
            }
        }
        var predictor = Predictor.Load(folder);
        _loaded.AddFirst((folder, predictor));
        if (_loaded.Count > Capacity)
        {
            _loaded.Last!.Value.Predictor.Dispose();
            _loaded.RemoveLast();
        }
        return predictor;
    }

    public void Dispose()
    {
        foreach (var (_, predictor) in _loaded)
        {
            predictor.Dispose();
        }
        _loaded.Clear();
    }
}
