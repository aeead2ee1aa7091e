using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Artifacts;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Schedules;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class EarlyStoppingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Trainer_StopsAfterPatience_AndRestoresBestWeightsWhenAsked(bool restoreBest)
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        // No epoch can beat the first by a whole unit of accuracy: epoch 1 stays best and patience 2 stops after epoch 3.
        var spec = TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 8,
            BatchSize = 32,
            LearningRate = 0.003,
            EarlyStopping = new EarlyStoppingSpec { Monitor = "val_accuracy", MinDelta = 1.0, Patience = 2, RestoreBest = restoreBest },
        });
        var data = TrainingData.Open(file, spec.Dataset);
        var directory = TrainingFixture.RunDirectory(_temp, $"stop-{restoreBest}");
        var sink = new RecordingSink();

        await new Trainer(new TrainerSettings { RunDirectory = directory }, sink).RunAsync(spec, data, CancellationToken.None);

        var run = new RunDirectory(directory);
        Assert.Equal([1, 2, 3], sink.Epochs.Select(e => e.Epoch));
        Assert.Contains(sink.Events, e => e.Message.StartsWith("Early stopping after epoch 3", StringComparison.Ordinal));
        var last = CheckpointFile.ReadHeader(run.LastCheckpoint);
        Assert.True(last.EarlyStopping.Stopped);
        Assert.Equal(1, last.EarlyStopping.BestEpoch);
        Assert.Equal(4, last.Epoch);
        var manifest = ModelArtifacts.ReadManifest(run.Manifest);
        if (restoreBest)
        {
            Assert.Equal(File.ReadAllBytes(run.BestWeights), File.ReadAllBytes(run.ModelWeights));
            Assert.Equal(1, manifest.RestoredBestEpoch);
            Assert.Contains(sink.Events, e => e.Message.StartsWith("Restored the weights of epoch 1", StringComparison.Ordinal));
        }
        else
        {
            Assert.NotEqual(File.ReadAllBytes(run.BestWeights), File.ReadAllBytes(run.ModelWeights));
            Assert.Null(manifest.RestoredBestEpoch);
        }

        // A finished run that is started again does not train more and saves the same model.
        var again = new RecordingSink();
        var before = File.ReadAllBytes(run.ModelWeights);
        await new Trainer(new TrainerSettings { RunDirectory = directory }, again).RunAsync(spec, data, CancellationToken.None);
        Assert.Equal(3, again.Epochs.Count);
        Assert.Equal(before, File.ReadAllBytes(run.ModelWeights));
    }

    [Fact]
    public void EarlyStopping_CountsOnlyImprovementsBeyondMinDelta()
    {
        var stopping = new EarlyStopping(new EarlyStoppingSpec { Monitor = "val_loss", MinDelta = 0.1, Patience = 2 }, MonitoredMetric.For("val_loss"));

        Assert.True(stopping.Observe(1, 1.0));
        Assert.False(stopping.Observe(2, 0.95));
        Assert.True(stopping.Observe(3, 0.85));
        Assert.False(stopping.Observe(4, 0.9));
        Assert.False(stopping.State.Stopped);
        Assert.False(stopping.Observe(5, double.NaN));
        Assert.True(stopping.State.Stopped);
        Assert.Equal(new EarlyStoppingState(0.85, 3, 2, true), stopping.State);
    }

    [Fact]
    public void Scheduler_Step_Cosine_And_Plateau_GiveTheDocumentedRates()
    {
        var step = new LearningRateScheduler(new LearningRateSchedule { Kind = "step", StepEpochs = 2, Gamma = 0.1 }, 1.0, 10);
        Assert.Equal([1.0, 1.0, 0.1, 0.1, 0.01], Enumerable.Range(1, 5).Select(e => Math.Round(step.LearningRateFor(e), 12)));

        var cosine = new LearningRateScheduler(new LearningRateSchedule { Kind = "cosine", MinLearningRate = 0.1 }, 1.0, 4);
        Assert.Equal(1.0, cosine.LearningRateFor(1), 12);
        Assert.Equal(0.55, cosine.LearningRateFor(3), 12);
        Assert.True(cosine.LearningRateFor(4) > 0.1);

        var plateau = new LearningRateScheduler(new LearningRateSchedule { Kind = "plateau", Patience = 2, Gamma = 0.5, MinLearningRate = 0.3 }, 1.0, 10);
        Assert.False(plateau.Observe(1.0, higherIsBetter: false));
        Assert.False(plateau.Observe(1.0, higherIsBetter: false));
        Assert.True(plateau.Observe(1.0, higherIsBetter: false));
        Assert.Equal(0.5, plateau.LearningRateFor(4));
        Assert.False(plateau.Observe(0.5, higherIsBetter: false));
        Assert.False(plateau.Observe(0.6, higherIsBetter: false));
        Assert.True(plateau.Observe(0.6, higherIsBetter: false));
        Assert.Equal(0.3, plateau.LearningRateFor(7));

        var resumed = new LearningRateScheduler(new LearningRateSchedule { Kind = "plateau", Patience = 2, Gamma = 0.5, MinLearningRate = 0.3 }, 1.0, 10);
        resumed.Restore(plateau.State);
        Assert.Equal(plateau.LearningRateFor(8), resumed.LearningRateFor(8));
        Assert.Throws<InvalidOperationException>(() => new LearningRateScheduler(new LearningRateSchedule { Kind = "exponential" }, 1.0, 10));
    }

    public void Dispose() => _temp.Dispose();
}
