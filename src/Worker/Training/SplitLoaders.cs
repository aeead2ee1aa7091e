using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;

namespace WebTrainer.Worker.Training;

/// <summary>The data loaders of a run's splits: the train split shuffled and augmented, the others sequential and plain.</summary>
internal sealed class SplitLoaders
{
    public SplitLoaders(JobSpec spec, TrainingData data, TrainerSettings settings)
    {
        var geometry = ImageGeometryInfo.Of(data.Train.Images);
        float rescale = (float)(spec.Augmentation.Rescale ?? (geometry.PixelType == Data.Hdf5.PixelType.UInt8 ? 1.0 / 255 : 1.0));
        var seed = (ulong)spec.Training.Seed;
        var augmentations = new List<IAugmentation>();
        if (spec.Augmentation.HorizontalFlip)
        {
            augmentations.Add(new HorizontalFlip());
        }

        DataLoader Make(SplitData split, bool train)
        {
            var stats = new PipelineStats();
            var collator = new Collator(geometry, rescale, null, null, train ? augmentations : [], seed, stats);
            var options = new LoaderOptions
            {
                BatchSize = spec.Training.BatchSize,
                Shuffle = train,
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

    public DataLoader Train { get; }
    public DataLoader? Validation { get; }
    public DataLoader? Test { get; }
}
