using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>
/// The same pixels and labels stored by h5py as resizable datasets (extensible array, version-2 B-tree,
/// extensible array with gzip) must train exactly like the contiguous copy: same seed, same numbers,
/// every epoch (issue 9, where such a file failed in epoch 2).
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
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Trainer_OnResizableH5pyLayout_TrainsTwoEpochsExactlyLikeTheContiguousCopy(string layout, string labels)
    {
        if (!References.TryGetValue(labels, out var reference))
        {
            References[labels] = reference = await TrainAsync("contiguous", labels);
        }
        var (referenceEpochs, referenceTest) = reference;

        var (epochs, test) = await TrainAsync(layout, labels);

        Assert.Equal(2, epochs.Count);
        Assert.Equal(Learning(referenceEpochs), Learning(epochs));
        Assert.Equal(referenceTest.Loss, test.Loss);
        Assert.Equal(referenceTest.Accuracy, test.Accuracy);
        Assert.Equal(referenceTest.ConfusionMatrix, test.ConfusionMatrix);
    }

    private static async Task<(List<EpochMetrics> Epochs, TestResults Test)> TrainAsync(string layout, string labels)
    {
        TorchRuntime.Configure(2);
        var file = Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", $"h5py_splits_{layout}.h5");
        var spec = new JobSpec
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
        };
        var data = TrainingData.Open(file, spec.Dataset);
        var sink = new RecordingSink();
        var test = await new Trainer(new TrainerSettings(), sink).RunAsync(spec, data, CancellationToken.None);
        Assert.NotNull(test);
        // The spec leaves sampling at "auto": small whole-image chunks read like contiguous rows, so it shuffles fully, and says so.
        Assert.Contains(sink.Events, e => e.Message.StartsWith("train sampling: auto chose random (bytes read per image", StringComparison.Ordinal));
        return (sink.Epochs, test);
    }

    private static List<string> Learning(IEnumerable<EpochMetrics> epochs) => epochs.Select(e =>
        FormattableString.Invariant($"{e.Epoch}: {e.TrainLoss:R} {e.TrainAccuracy:R} {e.TrainTop5Accuracy:R} {e.LearningRate:R} ") +
        FormattableString.Invariant($"{e.ValidationLoss:R} {e.ValidationAccuracy:R} {e.ValidationTop5Accuracy:R}")).ToList();
}
