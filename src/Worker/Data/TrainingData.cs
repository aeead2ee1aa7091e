using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data;

/// <summary>The opened splits of a run's dataset file, checked against each other.</summary>
internal sealed class TrainingData
{
    private TrainingData(SplitData train, SplitData? validation, SplitData? test)
    {
        Train = train;
        Validation = validation;
        Test = test;
    }

    public SplitData Train { get; }
    public SplitData? Validation { get; }
    public SplitData? Test { get; }
    public int ClassCount => Train.Labels.ClassCount;
    public int Channels => Train.Images.Channels;
    public int Height => Train.Images.Height;
    public int Width => Train.Images.Width;

    public static TrainingData Open(string file, DatasetSpec spec, int maxSamplesPerSplit = 0)
    {
            var train = OpenPair(file, "train", spec.Train, null);
            if (spec.SplitFractions is { } fractions)
            {
                var (trainRows, validationRows, testRows) = Split(train.Rows.Length, fractions, file);
                return new TrainingData(
                    Limit(train with { Rows = trainRows }, maxSamplesPerSplit),
                    Limit(train with { Name = "validation", Rows = validationRows }, maxSamplesPerSplit),
                    Limit(train with { Name = "test", Rows = testRows }, maxSamplesPerSplit));
            }
            var validation = spec.Validation is null ? null : OpenPair(file, "validation", spec.Validation, train);
            var test = spec.Test is null ? null : OpenPair(file, "test", spec.Test, train);
            return new TrainingData(
                Limit(train, maxSamplesPerSplit),
                validation is null ? null : Limit(validation, maxSamplesPerSplit),
                test is null ? null : Limit(test, maxSamplesPerSplit));
    }

    private static SplitData OpenPair(string file, string name, SplitSpec pair, SplitData? train)
    {
        var images = ImageDataset.Open(file, pair.Images);
        var labels = LabelDataset.Read(file, pair.Labels, train?.Labels.ClassCount);
        if (labels.Count != images.Count)
        {
            throw new DatasetProblemException(file, pair.Labels,
                $"has {labels.Count} labels but '{pair.Images}' has {images.Count} images");
        }
        if (train is not null && (images.Channels, images.Height, images.Width) != (train.Images.Channels, train.Images.Height, train.Images.Width))
        {
            throw new DatasetProblemException(file, pair.Images,
                $"{name} images are {images.Channels}x{images.Height}x{images.Width} (CxHxW) but train images are " +
                $"{train.Images.Channels}x{train.Images.Height}x{train.Images.Width}");
        }
        var rows = new long[images.Count];
        for (long i = 0; i < rows.Length; i++)
        {
            rows[i] = i;
        }
        return new SplitData(name, images, labels, rows);
    }

    /// <summary>A seeded shuffle of all rows cut by the fractions; each part sorted so reads stay sequential.</summary>
    internal static (long[] Train, long[] Validation, long[] Test) Split(int count, SplitFractions fractions, string file)
    {
        if (!fractions.IsValid)
        {
            throw new DatasetProblemException(file, null,
                $"split fractions {fractions.Train}/{fractions.Validation}/{fractions.Test}: {SplitFractions.Rule}");
        }
        var order = Permutation.Of(count, new SplitMix64((ulong)fractions.Seed));
        int trainCount = (int)Math.Round(count * fractions.Train);
        int validationCount = (int)Math.Round(count * fractions.Validation);
        validationCount = Math.Min(validationCount, count - trainCount);
        long[] Part(int start, int length)
        {
            var part = order.AsSpan(start, length).ToArray();
            Array.Sort(part);
            return part;
        }
        return (Part(0, trainCount), Part(trainCount, validationCount), Part(trainCount + validationCount, count - trainCount - validationCount));
    }

    private static SplitData Limit(SplitData split, int max) =>
        max > 0 && split.Rows.Length > max ? split with { Rows = split.Rows[..max] } : split;
}
