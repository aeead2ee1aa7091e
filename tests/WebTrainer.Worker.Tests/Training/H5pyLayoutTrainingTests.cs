using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Tests.Data.Hdf5;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>
/// The same pixels and labels stored by h5py as resizable datasets (extensible array, version-2 B-tree,
/// extensible array with gzip; issue 9, where such a file failed in epoch 2) or with the filters of
/// issue 11 (fletcher32, lzf, lz4, zstd, big-endian floats) must train exactly like the contiguous copy:
/// same seed, same numbers, every epoch.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class H5pyLayoutTrainingTests
{
    // Training tests run one at a time (TrainingCollection), so the contiguous reference is trained once per label kind.
    private static readonly Dictionary<string, (List<EpochMetrics> Epochs, TestResults Test)> References = [];

    public static TheoryData<string, string> Layouts => new()
    {
        { "earray", "labels" },
        { "earray", "onehot" },
        { "btree2", "labels" },
        { "btree2", "onehot" },
        { "earray_gzip", "labels" },
        { "earray_gzip", "onehot" },
        { "fletcher32", "labels" },
        { "fletcher32", "onehot" },
        { "lzf", "labels" },
        { "lzf", "onehot" },
        { "lz4", "labels" },
        { "lz4", "onehot" },
        { "zstd", "labels" },
        { "zstd", "onehot" },
        { "bigendian", "labels" },
        { "bigendian", "onehot" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Trainer_OnResizableOrFilteredH5pyLayout_TrainsTwoEpochsExactlyLikeTheContiguousCopy(string layout, string labels)
    {
        if (!References.TryGetValue(labels, out var reference))
        {
            References[labels] = reference = await TrainAsync("contiguous", labels);
        }
        var (referenceEpochs, referenceTest) = reference;

        var (epochs, test) = await TrainAsync(layout, labels);

        Assert.Equal(2, epochs.Count);
        Assert.DoesNotContain("PureHDF", TrainingData.Open(File(layout), Spec(layout, labels).Dataset).Train.Images.ReadPath, StringComparison.Ordinal);
        Assert.Equal(Learning(referenceEpochs), Learning(epochs));
        Assert.Equal(referenceTest.Loss, test.Loss);
        Assert.Equal(referenceTest.Accuracy, test.Accuracy);
        Assert.Equal(referenceTest.ConfusionMatrix, test.ConfusionMatrix);
    }

    /// <summary>Damage shows when the damaged chunk is read, in the first epoch, naming what to look at.</summary>
    [Fact]
    public async Task Trainer_OnAChunkFailingItsChecksum_FailsNamingTheDatasetAndChunk()
    {
        using var temp = new TempDirectory();
        var file = DamagedFixtures.Write(temp, "fletcher32", "train_img", 17, stored => stored[5] ^= 1);

        var problem = await Assert.ThrowsAsync<DatasetProblemException>(() => TrainAsync("fletcher32", "labels", file));

        Assert.Equal("damaged_fletcher32_train_img_17.h5, dataset 'train_img': chunk 17 (rows 34–35) fails its fletcher32 checksum: " +
            "the file is damaged", problem.Message);
    }

    private static async Task<(List<EpochMetrics> Epochs, TestResults Test)> TrainAsync(string layout, string labels, string? file = null)
    {
        TorchRuntime.Configure(2);
        var spec = Spec(layout, labels);
        var data = TrainingData.Open(file ?? File(layout), spec.Dataset);
        var sink = new RecordingSink();
        var test = await new Trainer(new TrainerSettings(), sink).RunAsync(spec, data, CancellationToken.None);
        Assert.NotNull(test);
        // The spec leaves sampling at "auto": small whole-image chunks read like contiguous rows, so it shuffles fully, and says so.
        Assert.Contains(sink.Events, e => e.Message.StartsWith("train sampling: auto chose random (bytes read per image", StringComparison.Ordinal));
        return (sink.Epochs, test);
    }

    private static string File(string layout) => Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", $"h5py_splits_{layout}.h5");

    /// <summary>
    /// The big-endian file holds the uint8 pixel values as floats: rescaled by the 1/255 uint8 pixels get
    /// by default, they are the same float32 inputs.
    /// </summary>
    private static JobSpec Spec(string layout, string labels)
    {
        var file = File(layout);
        return new JobSpec
        {
            Name = $"h5py-{layout}-{labels}",
            Dataset = new DatasetSpec
            {
                File = file,
                Train = new SplitSpec { Images = "train_img", Labels = $"train_{labels}" },
                Validation = new SplitSpec { Images = "valid_img", Labels = $"valid_{labels}" },
                Test = new SplitSpec { Images = "test_img", Labels = $"test_{labels}" },
            },
            Training = new TrainingSpec { Epochs = 2, BatchSize = 32, LearningRate = 0.003, Seed = 9 },
            Augmentation = layout == "bigendian" ? new AugmentationSpec { Rescale = 1.0 / 255 } : new AugmentationSpec(),
        };
    }

    private static List<string> Learning(IEnumerable<EpochMetrics> epochs) => epochs.Select(e =>
        FormattableString.Invariant($"{e.Epoch}: {e.TrainLoss:R} {e.TrainAccuracy:R} {e.TrainTop5Accuracy:R} {e.LearningRate:R} ") +
        FormattableString.Invariant($"{e.ValidationLoss:R} {e.ValidationAccuracy:R} {e.ValidationTop5Accuracy:R}")).ToList();
}
