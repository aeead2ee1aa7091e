using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Training.Artifacts;
using WebTrainer.Worker.Training.Checkpoints;

namespace WebTrainer.Web.Jobs;

/// <summary>Loaded models for the inference endpoint: a few at a time, disposed when evicted.</summary>
internal sealed class PredictorCache(IOptions<ArtifactOptions> artifacts) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 4 });
    private readonly Lock _gate = new();

    /// <summary>The model of a finished job, or null while it has none (still training, failed, no artifacts).</summary>
    public Predictor? Get(long jobId, Guid runKey)
    {
        var folder = artifacts.Value.JobFolder(jobId, runKey);
        if (!File.Exists(Path.Combine(folder, RunDirectory.ManifestFileName)))
        {
            return null;
        }
        lock (_gate)
        {
            return _cache.GetOrCreate(folder, entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = TimeSpan.FromMinutes(30);
                entry.RegisterPostEvictionCallback((_, value, _, _) => (value as Predictor)?.Dispose());
                return Predictor.Load(folder);
            });
        }
    }

    public void Dispose() => _cache.Dispose();
}
