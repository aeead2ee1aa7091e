using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>Training with <c>augmentation.device = "device"</c> on a CPU Worker (resume: <see cref="ResumeTests"/>).</summary>
[Collection(TrainingCollection.Name)]
public sealed class DeviceAugmentationTrainingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <param name="tensorOps">The ops a GPU runs, or (the default on a CPU device) the CPU augmenter's per-image kernels.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DeviceAugmentation_OnCpu_Trains_AndRepeatsExactlyForASeed(bool tensorOps)
    {
        var settings = new TrainerSettings { DeviceAugmentationTensorOps = tensorOps };
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = TrainingFixture.Spec(file, new TrainingSpec { Epochs = 3, BatchSize = 32, LearningRate = 0.003, Seed = 21 }) with
        {
            Augmentation = ResumeTests.DeviceAugmentationSpec,
        };
        var data = TrainingData.Open(file, spec.Dataset);

        var (first, firstTest, events) = await RunAsync(spec, data, settings);
        var (again, againTest, _) = await RunAsync(spec, data, settings);
        var (otherSeed, _, _) = await RunAsync(spec with { Training = spec.Training with { Seed = 22 } }, data, settings);
        var (onCpu, _, _) = await RunAsync(spec with { Augmentation = spec.Augmentation with { Device = AugmentationDevices.Cpu } }, data, settings);

        Assert.Contains(events, e => e.Contains("train uint8, augmented and converted to float on the training device", StringComparison.Ordinal));
        Assert.Equal(spec.Training.Epochs, first.Count);
        Assert.Equal(Learning(first), Learning(again));
        Assert.Equal(firstTest.Loss, againTest.Loss);
        Assert.Equal(firstTest.ConfusionMatrix, againTest.ConfusionMatrix);
        Assert.NotEqual(first[0].TrainLoss, otherSeed[0].TrainLoss);
        // It learns: the loss falls and validation beats guessing.
        Assert.True(first[^1].TrainLoss < first[0].TrainLoss, $"train loss {first[0].TrainLoss} then {first[^1].TrainLoss}");
        Assert.True(first[^1].ValidationAccuracy > 1.0 / data.ClassCount, $"validation accuracy {first[^1].ValidationAccuracy}");
        if (tensorOps)
        {
            // The CPU augmenter gives the same inputs to float rounding (DeviceAugmenterTests), so the first epoch agrees closely.
            Assert.Equal(onCpu[0].TrainLoss, first[0].TrainLoss, 1e-3);
        }
        else
        {
            // Its own kernels give the same inputs bit for bit, so the whole run is the CPU augmenter's run.
            Assert.Equal(Learning(onCpu), Learning(first));
        }
    }

    public void Dispose() => _temp.Dispose();

    private static async Task<(IReadOnlyList<EpochMetrics> Epochs, TestResults Test, List<string> Events)> RunAsync(JobSpec spec, TrainingData data,
        TrainerSettings settings)
    {
        var sink = new RecordingSink();
        var test = await new Trainer(settings, sink).RunAsync(spec, data, CancellationToken.None);
        Assert.NotNull(test);
        return (sink.Epochs, test, sink.Events.Select(e => e.Message).ToList());
    }

    private static List<string> Learning(IEnumerable<EpochMetrics> epochs) => epochs.Select(e =>
        FormattableString.Invariant($"{e.Epoch}: {e.TrainLoss:R} {e.TrainAccuracy:R} {e.ValidationLoss:R} {e.ValidationAccuracy:R}")).ToList();
}
