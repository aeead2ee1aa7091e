using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Optimizing;
using WebTrainer.Worker.Tests.Training;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Optimizing;

/// <summary>An optimised file is a drop-in replacement: same pixels, same seed, the same numbers as its input, every epoch.</summary>
[Collection(TrainingCollection.Name)]
public sealed class OptimizedTrainingTests : IDisposable
{
    private readonly TempDirectory _folder = new("optimize-train");

    public static TheoryData<string, int?> Layouts => new()
    {
        { OptimizeLayouts.Contiguous, null },
        { OptimizeLayouts.Chunked, null },
        { OptimizeLayouts.Chunked, 6 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Trainer_OnTheOptimizedFile_TrainsTwoEpochsExactlyLikeOnTheInput(string layout, int? deflate)
    {
        var input = BadChunksFile.Write(_folder.File("in.h5"));
        var output = _folder.File("out.h5");
        new FileOptimizer(64 * 1024, new RecordingSink(), new RunPosition()).Run(1, input, output, layout, deflate, CancellationToken.None);

        var (referenceEpochs, referenceTest) = await TrainAsync(input);
        var (epochs, test) = await TrainAsync(output);

        Assert.Equal(2, epochs.Count);
        Assert.Equal(Learning(referenceEpochs), Learning(epochs));
        Assert.Equal(referenceTest.Loss, test.Loss);
        Assert.Equal(referenceTest.Accuracy, test.Accuracy);
        Assert.Equal(referenceTest.ConfusionMatrix, test.ConfusionMatrix);
        Assert.Equal(referenceTest.Classes, test.Classes);
        Assert.Equal(BadChunksFile.ClassNames, test.Classes);
    }

    private static async Task<(List<EpochMetrics> Epochs, TestResults Test)> TrainAsync(string file)
    {
        TorchRuntime.Configure(2);
        var spec = new JobSpec
        {
            Name = Path.GetFileName(file),
            Dataset = new DatasetSpec
            {
                File = file,
                Train = new SplitSpec { Images = "train_img", Labels = "train_labels" },
                Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" },
                Test = new SplitSpec { Images = "test_img", Labels = "test_labels" },
            },
            // The same sampling mode on both sides: "auto" may rightly choose chunk-aware shuffling for a
            // badly chunked input and random for its rewrite, which is a different epoch order.
            Training = new TrainingSpec { Epochs = 2, BatchSize = 32, LearningRate = 0.003, Seed = 11, Sampling = SamplingModes.Random },
            Augmentation = new AugmentationSpec { HorizontalFlip = true },
        };
        var data = TrainingData.Open(file, spec.Dataset);
        var sink = new RecordingSink();
        var test = await new Trainer(new TrainerSettings(), sink).RunAsync(spec, data, CancellationToken.None);
        Assert.NotNull(test);
        return (sink.Epochs, test);
    }

    private static List<string> Learning(IEnumerable<EpochMetrics> epochs) => epochs.Select(e =>
        FormattableString.Invariant($"{e.Epoch}: {e.TrainLoss:R} {e.TrainAccuracy:R} {e.TrainTop5Accuracy:R} {e.LearningRate:R} ") +
        FormattableString.Invariant($"{e.ValidationLoss:R} {e.ValidationAccuracy:R} {e.ValidationTop5Accuracy:R}")).ToList();

    public void Dispose() => _folder.Dispose();
}
