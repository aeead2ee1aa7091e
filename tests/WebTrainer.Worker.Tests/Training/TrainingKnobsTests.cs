using System.Globalization;
using System.Text.RegularExpressions;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed partial class TrainingKnobsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task GradientClipping_BoundsTheGlobalGradientNorm_OfEveryStep()
    {
        const double clip = 0.25;
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 1, BatchSize = 32, Optimizer = Optimizers.Sgd, LearningRate = 0.05, GradientClipNorm = clip,
        });
        var steps = new List<(double Before, double After)>();
        var settings = new TrainerSettings
        {
            OnOptimizerStep = (step, model) => steps.Add((step.GradientNormBeforeClipping!.Value, GradientNorm(model))),
        };

        await new Trainer(settings, new RecordingSink()).RunAsync(spec, TrainingData.Open(file, spec.Dataset), CancellationToken.None);

        Assert.Equal(14, steps.Count);
        Assert.All(steps, s => Assert.True(s.After <= clip * (1 + 1e-4), $"norm {s.After} after clipping to {clip}"));
        // Clipping really happened, and rescaled to the bound rather than zeroing.
        Assert.Contains(steps, s => s.Before > 2 * clip && Math.Abs(s.After - clip) < 1e-4);
        Assert.All(steps.Where(s => s.Before <= clip), s => Assert.Equal(s.Before, s.After, 1e-5));
    }

    [Theory]
    [InlineData(0, 9, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 0, 3)]
    public async Task Warmup_LearningRateOfEachStep_FollowsTheLinearRampTimesTheSchedule(int warmupEpochs, int warmupSteps, int accumulation)
    {
        const double baseRate = 0.01, start = 0.2, min = 0.001;
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 3, BatchSize = 32, Optimizer = Optimizers.Sgd, LearningRate = baseRate,
            WarmupEpochs = warmupEpochs, WarmupSteps = warmupSteps, WarmupStartFactor = start, GradientAccumulationSteps = accumulation,
            Schedule = new LearningRateSchedule { Kind = ScheduleKinds.Cosine, MinLearningRate = min },
        });
        var steps = new List<OptimizerStepInfo>();
        var sink = new RecordingSink();

        await new Trainer(new TrainerSettings { OnOptimizerStep = (step, _) => steps.Add(step) }, sink)
            .RunAsync(spec, TrainingData.Open(file, spec.Dataset), CancellationToken.None);

        // 420 train samples: 14 batches of 32 per epoch, in groups of `accumulation`.
        int perEpoch = (14 + accumulation - 1) / accumulation;
        long warmup = warmupSteps > 0 ? warmupSteps : warmupEpochs * perEpoch;
        Assert.Equal(Enumerable.Range(0, 3 * perEpoch).Select(i => (long)i), steps.Select(s => s.Step));
        foreach (var step in steps)
        {
            double cosine = min + (baseRate - min) * 0.5 * (1 + Math.Cos(Math.PI * (step.Epoch - 1) / 3));
            double factor = step.Step < warmup ? start + (1 - start) * step.Step / warmup : 1;
            Assert.Equal(cosine * factor, step.LearningRate, 1e-12);
        }
        Assert.Equal(start * baseRate, steps[0].LearningRate, 1e-12);
        Assert.Equal(sink.Epochs[^1].LearningRate, steps[^1].LearningRate);
    }

    [Theory]
    [InlineData(16, 4, 64)]
    [InlineData(16, 3, 40)]
    public async Task Accumulation_OfKBatches_TakesTheSameStepAsOneBatchOfAllTheirSamples(int batchSize, int accumulation, int samples)
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        TrainingSpec Training(int batch, int steps) => new()
        {
            Epochs = 1, BatchSize = batch, Optimizer = Optimizers.Sgd, LearningRate = 0.5, Momentum = 0,
            GradientAccumulationSteps = steps, MaxSamplesPerSplit = samples,
        };

        var accumulated = await OneEpochInEvalModeAsync(TrainingFixture.Spec(file, Training(batchSize, accumulation)));
        var whole = await OneEpochInEvalModeAsync(TrainingFixture.Spec(file, Training(batchSize * accumulation, 1)));

        Assert.Equal(1, accumulated.Steps);
        Assert.Equal(1, whole.Steps);
        Assert.Equal(whole.Initial.Keys, accumulated.Weights.Keys);
        foreach (var (name, values) in whole.Weights)
        {
            for (int i = 0; i < values.Length; i++)
            {
                Assert.True(Math.Abs(values[i] - accumulated.Weights[name][i]) <= 1e-5,
                    $"{name}[{i}]: one batch {values[i]}, accumulated {accumulated.Weights[name][i]}");
            }
        }
        // The step moved the weights far more than the tolerance.
        Assert.Contains(whole.Weights, w => w.Value.Zip(whole.Initial[w.Key]).Any(p => Math.Abs(p.First - p.Second) > 1e-3));
    }

    [Theory]
    [InlineData(1e12)]
    [InlineData(10.0)] // the most a spec may ask for
    public async Task NonFiniteLoss_EndsTheRun_WithASentenceNamingEpochAndBatch(double learningRate)
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = DivergingSpec(file, learningRate);
        var steps = new List<OptimizerStepInfo>();
        // Checked at every batch (a report every batch), before that batch's optimiser step.
        var settings = new TrainerSettings
        {
            RunDirectory = TrainingFixture.RunDirectory(_temp, "diverges"),
            BatchReportInterval = TimeSpan.Zero,
            OnOptimizerStep = (step, _) => steps.Add(step),
        };

        var error = await Assert.ThrowsAsync<TrainingDivergedException>(() =>
            new Trainer(settings, new RecordingSink()).RunAsync(spec, TrainingData.Open(file, spec.Dataset), CancellationToken.None));

        // The batch named is the one after the last step taken (14 batches per epoch, a step per batch).
        Assert.Equal(steps.Count, FailedAt(error));
    }

    [Theory]
    [InlineData(1e12)]
    [InlineData(10.0)]
    public async Task NonFiniteLoss_ReadOnlyAtCheckpoints_NamesTheSameBatch_AndNoCheckpointFollowsIt(double learningRate)
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = DivergingSpec(file, learningRate);
        spec = spec with { Training = spec.Training with { CheckpointEveryBatches = 2 } };
        var data = TrainingData.Open(file, spec.Dataset);
        var everyBatch = await Assert.ThrowsAsync<TrainingDivergedException>(() =>
            new Trainer(new TrainerSettings { BatchReportInterval = TimeSpan.Zero }, new RecordingSink()).RunAsync(spec, data, CancellationToken.None));

        // No reports at all: the device is read at checkpoints and the epoch's end only, so the run goes on past the NaN.
        int steps = 0;
        var sink = new RecordingSink();
        var settings = new TrainerSettings
        {
            RunDirectory = TrainingFixture.RunDirectory(_temp, "diverges-late-" + learningRate),
            BatchReportInterval = TimeSpan.MaxValue,
            OnOptimizerStep = (_, _) => steps++,
        };
        var late = await Assert.ThrowsAsync<TrainingDivergedException>(() =>
            new Trainer(settings, sink).RunAsync(spec, data, CancellationToken.None));

        Assert.Equal(everyBatch.Message, late.Message);
        long failedAt = FailedAt(late);
        Assert.True(steps > failedAt, $"{steps} steps, failed at {failedAt}: the loop went on until the next check");
        var written = sink.Events.Select(e => CheckpointWritten().Match(e.Message)).Where(m => m.Success)
            .Select(m => m.Groups[3].Success
                ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * 14L
                : (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1) * 14L + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            .ToList();
        Assert.NotEmpty(written);
        // A checkpoint at batch b holds the parameters after b batches: only those made before the bad batch may be written.
        Assert.All(written, at => Assert.True(at <= failedAt, $"checkpoint after {at} batches, the loss went bad at batch {failedAt + 1}"));
    }

    private static JobSpec DivergingSpec(string file, double learningRate) => TrainingFixture.Spec(file, new TrainingSpec
    {
        Epochs = 3, BatchSize = 32, Optimizer = Optimizers.Sgd, LearningRate = learningRate, Momentum = 0.9,
    });

    /// <summary>The 0-based run-wide index of the batch the sentence names (14 batches per epoch).</summary>
    private static long FailedAt(TrainingDivergedException error)
    {
        var match = DivergedSentence().Match(error.Message);
        Assert.True(match.Success, error.Message);
        return (int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) - 1) * 14L + int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) - 1;
    }

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"^The loss became (NaN|infinite) at epoch (\d+), batch (\d+); try a lower learning rate or gradient clipping$")]
    private static partial Regex DivergedSentence();

    [GeneratedRegex(@"^Checkpoint written(?:: epoch (\d+), batch (\d+)| at the end of epoch (\d+))$")]
    private static partial Regex CheckpointWritten();

    /// <summary>
    /// One epoch of batches through the real loader, loss weighting and stepper, with the model in
    /// eval mode: batch norm then uses its fixed statistics and dropout is off, so each sample's
    /// gradient does not depend on the batch it shares and k small batches must equal one big one.
    /// </summary>
    private static async Task<(int Steps, Dictionary<string, float[]> Initial, Dictionary<string, float[]> Weights)> OneEpochInEvalModeAsync(JobSpec spec)
    {
        var data = TrainingData.Open(spec.Dataset.File, spec.Dataset, spec.Training.MaxSamplesPerSplit);
        var loaders = new SplitLoaders(spec, data, new TrainerSettings());
        var input = ModelInput.For(spec.Model.Architecture, data.Channels, data.Height, data.Width);
        using var session = TrainingSession.Create(spec, input, data.ClassCount, CPU, null, new RecordingSink());
        session.BeginEpoch(1);
        session.Model.eval();
        var initial = Snapshot(session.Model);
        var groups = new GradientAccumulation(spec.Training.GradientAccumulationSteps, spec.Training.BatchSize, loaders.Train.Samples);
        int steps = 0;
        var stepper = new OptimizerStepper(session, groups, (_, _) => steps++);
        var metrics = new RunningMetrics(data.ClassCount);
        await foreach (var batch in loaders.Train.ReadEpochAsync(1, 0, CancellationToken.None))
        {
            using (batch)
            {
                if (groups.StartsGroup(batch.Index))
                {
                    session.Optimizer.zero_grad();
                }
                TrainStep.Backward(session.Model, session.Criterion, batch, CPU, metrics, groups.LossScale(batch.Index));
                if (groups.EndsGroup(batch.Index))
                {
                    stepper.Step(1, steps);
                }
            }
        }
        return (steps, initial, Snapshot(session.Model));
    }

    private static Dictionary<string, float[]> Snapshot(ImageClassifier model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());

    private static double GradientNorm(ImageClassifier model)
    {
        using var scope = NewDisposeScope();
        double squares = 0;
        foreach (var parameter in model.parameters())
        {
            if (parameter.grad is { } gradient)
            {
                squares += gradient.pow(2).sum().item<float>();
            }
        }
        return Math.Sqrt(squares);
    }
}
