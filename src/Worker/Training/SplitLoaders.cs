using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;

namespace WebTrainer.Worker.Training;

/// <summary>
/// The data loaders of a run's splits: the train split sampled as the spec says and augmented, the
/// others sequential and plain. All splits share the train split's rescale and normalisation.
/// </summary>
internal sealed class SplitLoaders
{
    public SplitLoaders(JobSpec spec, TrainingData data, TrainerSettings settings, CancellationToken cancellationToken = default)
    {
        var geometry = ImageGeometryInfo.Of(data.Train.Images);
        float rescale = (float)(spec.Augmentation.Rescale ?? (geometry.PixelType == Data.Hdf5.PixelType.UInt8 ? 1.0 / 255 : 1.0));
        var seed = (ulong)spec.Training.Seed;
        var augmenter = new ImageAugmenter(spec.Augmentation, seed);
        var statistics = spec.Augmentation.Normalize
            ? ChannelStatistics.GetOrCompute(data.Train, rescale, ChannelStatistics.DefaultCacheFolder, cancellationToken)
            : null;
        Normalization = new InputNormalization(rescale, statistics?.Mean, statistics?.Std);

        DataLoader Make(SplitData split, bool train)
        {
            var stats = new PipelineStats();
            var collator = new Collator(geometry, rescale, statistics?.Mean, statistics?.Std, train ? augmenter : null, stats);
            var options = new LoaderOptions
            {
                BatchSize = spec.Training.BatchSize,
                Sampling = train ? spec.Training.Sampling : SamplingModes.Sequential,
                ShuffleWindowBlocks = spec.Training.ShuffleWindowBlocks,
                Seed = seed,
                Readers = settings.Readers,
                MemoryBudgetBytes = settings.PrefetchBudgetBytes,
            };
            return new DataLoader(split, options, collator, stats);
        }

        Train = Make(data.Train, train: true);
        Validation = data.Validation is { Count: > 0 } validation ? Make(validation, train: false) : null;
        Test = data.Test is { Count: > 0 } test ? Make(test, train: false) : null;
    }

    /// <summary>What every split's pixels went through; the model manifest records it for prediction.</summary>
    public InputNormalization Normalization { get; }

    public DataLoader Train { get; }
    public DataLoader? Validation { get; }
    public DataLoader? Test { get; }
}
