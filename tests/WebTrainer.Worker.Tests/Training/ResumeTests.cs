using System.Globalization;
using System.Text.RegularExpressions;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed partial class ResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public static TheoryData<string> Setups => ["sgd-plateau", "adamw-cosine-frozen", Knobs, DeviceAugmentation];

    /// <summary>Warmup into epoch 2, groups of 3 accumulated batches, clipped steps.</summary>
    private const string Knobs = "sgd-warmup-accumulation-clipping";

    /// <summary>Every augmentation the device path has, run as a GPU runs it (here on the CPU: the batched tensor ops, not the per-image kernels).</summary>
    private const string DeviceAugmentation = "device-augmentation";

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task Resume_AfterCancellationMidEpoch_EndsExactlyLikeAnUninterruptedRun(string setup)
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = MakeSpec(file, setup);
        var data = TrainingData.Open(file, spec.Dataset);
        bool tensorOps = setup == DeviceAugmentation;

        var straightDirectory = TrainingFixture.RunDirectory(_temp, setup + "-straight");
        var straightSink = new RecordingSink();
        var straight = await new Trainer(new TrainerSettings { RunDirectory = straightDirectory, DeviceAugmentationTensorOps = tensorOps }, straightSink)
            .RunAsync(spec, data, CancellationToken.None);

        var resumedDirectory = TrainingFixture.RunDirectory(_temp, setup + "-resumed");
        using var stop = new CancellationTokenSource();
        // The knobs' run is stopped one batch past its checkpoint at batch 6, inside the group of batches 7 to 9
        // (and inside the warmup, at optimiser step 8 of 9): that group's gradients are lost and must be redone.
        var checkpointed = setup == Knobs ? "Checkpoint written: epoch 2, batch 6" : "Checkpoint written: epoch 2, batch 8";
        bool armed = false;
        var interrupted = new RecordingSink
        {
            OnEvent = (_, message) =>
            {
                if (message == checkpointed)
                {
                    armed = true;
                    if (setup != Knobs)
                    {
                        stop.Cancel();
                    }
                }
            },
            OnBatch = progress =>
            {
                if (armed && setup == Knobs && progress.Epoch == 2 && progress.Batch == 7)
                {
                    stop.Cancel();
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new Trainer(new TrainerSettings { RunDirectory = resumedDirectory, BatchReportInterval = TimeSpan.Zero, DeviceAugmentationTensorOps = tensorOps }, interrupted)
                .RunAsync(spec, data, stop.Token));
        Assert.True(armed);
        Assert.Single(interrupted.Epochs);

        var resumedSink = new RecordingSink();
        var resumed = await new Trainer(new TrainerSettings { RunDirectory = resumedDirectory, DeviceAugmentationTensorOps = tensorOps }, resumedSink)
            .RunAsync(spec, data, CancellationToken.None);

        Assert.Contains(resumedSink.Events, e => e.Message.StartsWith("Resuming from checkpoint", StringComparison.Ordinal) && e.Message.Contains(checkpointed["Checkpoint written: ".Length..], StringComparison.Ordinal));
        if (setup == Knobs)
        {
            // Checkpoints land on group boundaries only (every 4 batches, moved on to the next multiple of 3).
            var written = straightSink.Events.Select(e => CheckpointAt().Match(e.Message)).Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
            Assert.Equal([6, 9, 12], written);
        }
        if (setup == DeviceAugmentation)
        {
            Assert.Contains(straightSink.Events, e => e.Message.Contains("train uint8, augmented and converted to float on the training device", StringComparison.Ordinal));
        }
        Assert.Equal(spec.Training.Epochs, straightSink.Epochs.Count);
        Assert.Equal(Learning(straightSink.Epochs), Learning(resumedSink.Epochs));
        Assert.NotNull(straight);
        Assert.NotNull(resumed);
        Assert.Equal(straight.Loss, resumed.Loss);
        Assert.Equal(straight.Accuracy, resumed.Accuracy);
        Assert.Equal(straight.ConfusionMatrix, resumed.ConfusionMatrix);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straightDirectory, "model.weights")), File.ReadAllBytes(Path.Combine(resumedDirectory, "model.weights")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straightDirectory, "best.weights")), File.ReadAllBytes(Path.Combine(resumedDirectory, "best.weights")));
    }

    [Fact]
    public async Task Resume_RefusesCheckpointOfAnotherSpec_WithAnErrorEvent()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = MakeSpec(file, "sgd-plateau") with { Training = MakeSpec(file, "sgd-plateau").Training with { Epochs = 1 } };
        var data = TrainingData.Open(file, spec.Dataset);
        var directory = TrainingFixture.RunDirectory(_temp, "refuse");
        await new Trainer(new TrainerSettings { RunDirectory = directory }, new RecordingSink()).RunAsync(spec, data, CancellationToken.None);
        var checkpoint = File.ReadAllBytes(Path.Combine(directory, "last.ckpt"));

        var changed = spec with { Training = spec.Training with { LearningRate = spec.Training.LearningRate * 2 } };
        var sink = new RecordingSink();
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            new Trainer(new TrainerSettings { RunDirectory = directory }, sink).RunAsync(changed, data, CancellationToken.None));

        Assert.Contains("another spec", error.Message, StringComparison.Ordinal);
        Assert.Contains(sink.Events, e => e.Level == "error" && e.Message.StartsWith("Refusing checkpoint", StringComparison.Ordinal));
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(directory, "last.ckpt")));

        // Renaming the job is not a different run.
        var renamed = spec with { Name = "another name" };
        var renamedSink = new RecordingSink();
        await new Trainer(new TrainerSettings { RunDirectory = directory }, renamedSink).RunAsync(renamed, data, CancellationToken.None);
        Assert.Contains(renamedSink.Events, e => e.Message.StartsWith("Resuming from checkpoint", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"^Checkpoint written: epoch \d+, batch (\d+)$")]
    private static partial Regex CheckpointAt();

    private static JobSpec MakeSpec(string file, string setup) => setup switch
    {
        "sgd-plateau" => TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 3,
            BatchSize = 32,
            Optimizer = Optimizers.Sgd,
            LearningRate = 0.05,
            Momentum = 0.9,
            Nesterov = true,
            WeightDecay = 1e-4,
            LabelSmoothing = 0.1,
            ClassWeights = [1.0, 1.2, 0.8, 1.0, 1.1, 0.9],
            Schedule = new LearningRateSchedule { Kind = "plateau", Patience = 1, Gamma = 0.5 },
            EarlyStopping = new EarlyStoppingSpec { Monitor = "val_loss", Patience = 5 },
            CheckpointEveryBatches = 4,
        }) with { Augmentation = new AugmentationSpec { HorizontalFlip = true } },
        Knobs => TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 3,
            BatchSize = 32,
            Optimizer = Optimizers.Sgd,
            LearningRate = 0.05,
            Momentum = 0.9,
            WeightDecay = 1e-4,
            GradientAccumulationSteps = 3,
            WarmupSteps = 9,
            WarmupStartFactor = 0.25,
            GradientClipNorm = 0.5,
            Schedule = new LearningRateSchedule { Kind = "step", StepEpochs = 2, Gamma = 0.5 },
            CheckpointEveryBatches = 4,
        }) with { Augmentation = new AugmentationSpec { HorizontalFlip = true } },
        DeviceAugmentation => TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 3,
            BatchSize = 32,
            Optimizer = Optimizers.Adam,
            LearningRate = 0.003,
            CheckpointEveryBatches = 4,
        }) with { Augmentation = DeviceAugmentationSpec },
        _ => TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 3,
            BatchSize = 32,
            Optimizer = Optimizers.AdamW,
            LearningRate = 0.003,
            Schedule = new LearningRateSchedule { Kind = "cosine", MinLearningRate = 1e-4 },
            EarlyStopping = new EarlyStoppingSpec { Monitor = "val_accuracy", Patience = 5 },
            CheckpointEveryBatches = 4,
        }, new ModelSpec { FreezeBackboneEpochs = 1, BackboneLearningRateFactor = 0.5 }),
    };

    internal static AugmentationSpec DeviceAugmentationSpec { get; } = new()
    {
        HorizontalFlip = true, RotationRange = 15, ZoomRange = 0.1, ShearRange = 5, WidthShiftRange = 0.1, HeightShiftRange = 0.1,
        BrightnessRange = 0.2, ContrastRange = 0.2, Normalize = true, Device = AugmentationDevices.Device,
    };

    /// <summary>The learning numbers of each epoch (timings differ between runs and are left out).</summary>
    private static List<string> Learning(IEnumerable<EpochMetrics> epochs) =>
        epochs.GroupBy(e => e.Epoch).OrderBy(g => g.Key).Select(g => g.Last()).Select(e =>
            FormattableString.Invariant($"{e.Epoch}: {e.TrainLoss:R} {e.TrainAccuracy:R} {e.TrainTop5Accuracy:R} {e.LearningRate:R} ") +
            FormattableString.Invariant($"{e.ValidationLoss:R} {e.ValidationAccuracy:R} {e.ValidationTop5Accuracy:R}")).ToList();
}
