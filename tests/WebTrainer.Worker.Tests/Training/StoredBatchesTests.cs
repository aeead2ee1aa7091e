using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class StoredBatchesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task SplitLoaders_HandOverUInt8Batches_OnlyWhereNoCpuAugmentationRuns()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var plain = TrainingFixture.Spec(file, new TrainingSpec { BatchSize = 16 });
        var augmented = plain with { Augmentation = new AugmentationSpec { HorizontalFlip = true, Normalize = true } };
        var data = TrainingData.Open(file, plain.Dataset);

        var withAugmentation = new SplitLoaders(augmented, data, new TrainerSettings());
        var withoutAugmentation = new SplitLoaders(plain, data, new TrainerSettings());
        var switchedOff = new SplitLoaders(plain, data, new TrainerSettings { StoredBatches = false });

        Assert.False(withAugmentation.Train.StoredBatches);
        Assert.True(withAugmentation.Validation!.StoredBatches);
        Assert.True(withAugmentation.Test!.StoredBatches);
        Assert.True(withoutAugmentation.Train.StoredBatches);
        Assert.False(switchedOff.Train.StoredBatches);
        Assert.False(switchedOff.Validation!.StoredBatches);
        Assert.Contains("train float32, decoded on the CPU; validation uint8", withAugmentation.DescribeBatches(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitLoaders_Warn_WhereThePrefetchBudgetLeavesReadersIdleDuringAStep()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = TrainingFixture.Spec(file, new TrainingSpec { BatchSize = 16 }) with
        {
            Augmentation = new AugmentationSpec { RotationRange = 10, Device = AugmentationDevices.Cpu },
        };
        var data = TrainingData.Open(file, spec.Dataset);
        long floatBatch = 16 * (3 * 12 * 12 * sizeof(float) + sizeof(long));

        // Room for two float32 train batches: the step holds one, so one of the two readers can work.
        var tight = new SplitLoaders(spec, data, new TrainerSettings { Readers = 2, PrefetchBudgetBytes = 2 * floatBatch });
        var roomy = new SplitLoaders(spec, data, new TrainerSettings { Readers = 2, PrefetchBudgetBytes = 3 * floatBatch });

        Assert.Equal(2, tight.Train.Capacity);
        var warning = tight.DescribeShortBudget();
        Assert.NotNull(warning);
        Assert.Contains("train 1 MB a batch (2 fit)", warning);
        Assert.Contains("Worker:PrefetchBudgetMegabytes", warning);
        Assert.Contains("augmentation.device \"device\"", warning);
        Assert.DoesNotContain("validation", warning); // its uint8 batches are a quarter of the size
        Assert.Null(roomy.DescribeShortBudget());
        Assert.Null(new SplitLoaders(spec, data, new TrainerSettings()).DescribeShortBudget());
    }

    [Fact]
    public async Task SplitLoaders_AugmentOnTheDevice_WhenTheSpecAsks_OrOnAGpuByDefault()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var plain = TrainingFixture.Spec(file, new TrainingSpec { BatchSize = 16 });
        var data = TrainingData.Open(file, plain.Dataset);
        JobSpec Augmented(string device) => plain with { Augmentation = new AugmentationSpec { RotationRange = 10, Device = device } };
        // Only the choice is made here (no batch is read), so a CUDA device object needs no GPU.
        var gpu = new Device(DeviceType.CUDA);

        var autoOnCpu = new SplitLoaders(Augmented(AugmentationDevices.Auto), data, new TrainerSettings(), default, CPU);
        var autoOnGpu = new SplitLoaders(Augmented(AugmentationDevices.Auto), data, new TrainerSettings(), default, gpu);
        var cpuOnGpu = new SplitLoaders(Augmented(AugmentationDevices.Cpu), data, new TrainerSettings(), default, gpu);
        var deviceOnCpu = new SplitLoaders(Augmented(AugmentationDevices.Device), data, new TrainerSettings(), default, CPU);
        var deviceWithoutStoredBatches = new SplitLoaders(Augmented(AugmentationDevices.Device), data, new TrainerSettings { StoredBatches = false });

        Assert.False(autoOnCpu.Train.AugmentsOnDevice);
        Assert.False(autoOnCpu.Train.StoredBatches);
        Assert.True(autoOnGpu.Train.AugmentsOnDevice);
        Assert.True(autoOnGpu.Train.StoredBatches);
        Assert.False(cpuOnGpu.Train.AugmentsOnDevice);
        Assert.True(deviceOnCpu.Train.AugmentsOnDevice);
        Assert.False(deviceOnCpu.Validation!.AugmentsOnDevice);
        // Device augmentation needs the uint8 batches; with those switched off the CPU augmenter runs.
        Assert.False(deviceWithoutStoredBatches.Train.AugmentsOnDevice);
        Assert.False(deviceWithoutStoredBatches.Train.StoredBatches);
        Assert.Contains("train uint8, augmented and converted to float on the training device; validation uint8, converted",
            deviceOnCpu.DescribeBatches(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_OnStoredBatches_SeesTheSameNumbers_AsOnCpuBatches()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        // Normalisation on, so that a path that standardised twice, or not at all, would show.
        var spec = TrainingFixture.Spec(file, new TrainingSpec { Epochs = 2, BatchSize = 32, LearningRate = 0.003, Seed = 5 }) with
        {
            Augmentation = new AugmentationSpec { Normalize = true },
        };
        var data = TrainingData.Open(file, spec.Dataset);

        var cpuSink = new RecordingSink();
        var cpu = await new Trainer(new TrainerSettings { StoredBatches = false }, cpuSink).RunAsync(spec, data, CancellationToken.None);
        var storedSink = new RecordingSink();
        var stored = await new Trainer(new TrainerSettings(), storedSink).RunAsync(spec, data, CancellationToken.None);

        Assert.Contains(storedSink.Events, e => e.Message.Contains("train uint8, converted to float on the training device", StringComparison.Ordinal));
        Assert.Equal(spec.Training.Epochs, cpuSink.Epochs.Count);
        Assert.Equal(cpuSink.Epochs.Count, storedSink.Epochs.Count);
        Assert.All(cpuSink.Epochs.Zip(storedSink.Epochs), p =>
        {
            Assert.Equal(p.First.TrainLoss, p.Second.TrainLoss, 1e-5);
            Assert.Equal(p.First.ValidationLoss!.Value, p.Second.ValidationLoss!.Value, 1e-5);
            Assert.Equal(p.First.ValidationAccuracy, p.Second.ValidationAccuracy);
        });
        Assert.Equal(cpu!.Loss, stored!.Loss, 1e-5);
        Assert.Equal(cpu.ConfusionMatrix, stored.ConfusionMatrix);
    }

    public void Dispose() => _temp.Dispose();
}
