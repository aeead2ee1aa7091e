using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// The data loaders of a run's splits: the train split sampled as the spec says and augmented, the
/// others sequential and plain. All splits share the train split's rescale and normalisation. A split
/// that is not augmented on the CPU (validation and test always, train when augmentation is off) gets
/// stored uint8 batches when the data are uint8 and the settings allow it: its reader threads only
/// read, and the conversion to float runs on the training device. The train split's augmentation runs
/// there too, on uint8 batches, when <c>augmentation.device</c> says so (<c>auto</c>: when the training
/// device is a GPU); both paths draw the same parameters per sample. Batches for a GPU are pinned.
/// </summary>
internal sealed class SplitLoaders
{
    /// <param name="device">The training device (null: the CPU), which decides <c>auto</c> augmentation and pinned memory.</param>
    public SplitLoaders(JobSpec spec, TrainingData data, TrainerSettings settings, CancellationToken cancellationToken = default,
        torch.Device? device = null)
    {
        bool cuda = device?.type == DeviceType.CUDA;
        var geometry = ImageGeometryInfo.Of(data.Train.Images);
        float rescale = (float)(spec.Augmentation.Rescale ?? (geometry.PixelType == Data.Hdf5.PixelType.UInt8 ? 1.0 / 255 : 1.0));
        var seed = (ulong)spec.Training.Seed;
        var augmenter = new ImageAugmenter(spec.Augmentation, seed);
        var statistics = spec.Augmentation.Normalize
            ? ChannelStatistics.GetOrCompute(data.Train, rescale, ChannelStatistics.DefaultCacheFolder, cancellationToken,
                settings.Position is { } progress ? block => progress.Mark(RunPosition.StatisticsPass, block) : null)
            : null;
        Normalization = new InputNormalization(rescale, statistics?.Mean, statistics?.Std);
        var costs = ReadCostModel.Estimate(data.Train.Images, spec.Training.BatchSize, settings.Readers);
        Sampling = ReadCostModel.Resolve(spec.Training.Sampling, costs);
        SamplingCosts = costs;

        DataLoader Make(SplitData split, bool train, string name)
        {
            var stats = new PipelineStats();
            bool augmented = train && augmenter.Enabled;
            bool storable = settings.StoredBatches && geometry.PixelType == Data.Hdf5.PixelType.UInt8;
            bool onDevice = augmented && storable && AugmentsOnDevice(spec.Augmentation.Device, cuda);
            bool stored = storable && (!augmented || onDevice);
            var deviceAugmenter = onDevice
                ? new DeviceAugmenter(augmenter, settings.DeviceAugmentationTensorOps ? null
                    : new ImagePreparer(geometry, new PixelNormalizer(geometry.Layout, rescale, statistics?.Mean, statistics?.Std), augmenter))
                : null;
            var collator = new Collator(geometry, rescale, statistics?.Mean, statistics?.Std, augmented && !onDevice ? augmenter : null, stats,
                stored, deviceAugmenter, pinMemory: cuda);
            var options = new LoaderOptions
            {
                BatchSize = spec.Training.BatchSize,
                Sampling = train ? Sampling : SamplingModes.Sequential,
                ShuffleWindowBlocks = spec.Training.ShuffleWindowBlocks,
                Seed = seed,
                Readers = settings.Readers,
                MemoryBudgetBytes = settings.PrefetchBudgetBytes,
                BatchHandedOut = settings.Position is { } position ? index => position.Mark(name, index) : null,
            };
            return new DataLoader(split, options, collator, stats);
        }

        Train = Make(data.Train, train: true, RunPosition.TrainSplit);
        Validation = data.Validation is { Count: > 0 } validation ? Make(validation, train: false, RunPosition.ValidationSplit) : null;
        Test = data.Test is { Count: > 0 } test ? Make(test, train: false, RunPosition.TestSplit) : null;
    }

    /// <summary>
    /// Whether the spec's <c>augmentation.device</c> puts augmentation on the training device: <c>device</c>
    /// always (on a CPU too), <c>auto</c> on a GPU. Only uint8 stored batches can be; others use the CPU augmenter.
    /// </summary>
    private static bool AugmentsOnDevice(string? requested, bool cuda) => requested switch
    {
        AugmentationDevices.Device => true,
        AugmentationDevices.Cpu => false,
        null or AugmentationDevices.Auto => cuda,
        _ => throw new InvalidOperationException(
            $"augmentation.device is '{requested}'; choose one of: {string.Join(", ", AugmentationDevices.All)}"),
    };

    /// <summary>How the train split is shuffled: the spec's mode, with <c>auto</c> resolved for this file.</summary>
    public string Sampling { get; }

    /// <summary>What each sampling mode reads per image of the train split's file.</summary>
    public ReadCosts SamplingCosts { get; }

    /// <summary>For the run's log: the sampling used, why when it was chosen, and what it reads.</summary>
    public string DescribeSampling(string requested)
    {
        var chosen = requested == SamplingModes.Auto ? $"auto chose {Sampling}" : Sampling;
        return $"train sampling: {chosen} (bytes read per image against its own bytes: {SamplingCosts.Describe()})";
    }

    /// <summary>What every split's pixels went through; the model manifest records it for prediction.</summary>
    public InputNormalization Normalization { get; }

    public DataLoader Train { get; }
    public DataLoader? Validation { get; }
    public DataLoader? Test { get; }

    /// <summary>
    /// For the run's log, a warning where the prefetch budget holds too few batches of a split for its readers to
    /// work while the step holds one (<see cref="DataLoader.Capacity"/> counts that one too): they then take turns, or
    /// with room for one batch alone, nothing is read while the step runs, which at 299×299 with float32 batches of
    /// 128 halved the loader (bench augment). Null where every split has room.
    /// </summary>
    public string? DescribeShortBudget()
    {
        var shortOf = new (string Name, DataLoader? Loader)[] { ("train", Train), ("validation", Validation), ("test", Test) }
            .Where(s => s.Loader is { } loader && loader.Capacity < loader.Readers + 1)
            .Select(s => (s.Name, Loader: s.Loader!))
            .ToList();
        if (shortOf.Count == 0)
        {
            return null;
        }
        static long Megabytes(long bytes) => (bytes + (1 << 20) - 1) >> 20;
        var worst = shortOf.MaxBy(s => s.Loader.FullBatchBytes);
        long needed = Megabytes((worst.Loader.Readers + 1) * worst.Loader.FullBatchBytes);
        var splits = string.Join(", ", shortOf.Select(s =>
            $"{s.Name} {Megabytes(s.Loader.FullBatchBytes)} MB a batch ({s.Loader.Capacity} fit{(s.Loader.Capacity == 1 ? "s" : "")})"));
        var remedies = Train is { StoredBatches: false } && shortOf.Any(s => s.Name == "train")
            ? $"a smaller batch, augmentation.device \"{AugmentationDevices.Device}\" (uint8 batches, a quarter of the bytes)"
            : "a smaller batch";
        return $"The prefetch budget ({Megabytes(Train.Budget.CapacityBytes)} MB) holds too few batches for the readers to work while a step runs: " +
            $"{splits}; with {worst.Loader.Readers} readers that needs {needed} MB. Raise Worker:PrefetchBudgetMegabytes, or use {remedies}";
    }

    /// <summary>For the run's log: which splits' batches are decoded on the CPU and which go to the device as uint8.</summary>
    public string DescribeBatches()
    {
        static string Of(string name, DataLoader loader) =>
            $"{name} {(loader.AugmentsOnDevice ? "uint8, augmented and converted to float on the training device"
                : loader.StoredBatches ? "uint8, converted to float on the training device" : "float32, decoded on the CPU")}";
        var parts = new List<string> { Of("train", Train) };
        if (Validation is not null)
        {
            parts.Add(Of("validation", Validation));
        }
        if (Test is not null)
        {
            parts.Add(Of("test", Test));
        }
        return string.Join("; ", parts);
    }
}
