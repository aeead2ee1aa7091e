using System.Text;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Models;
using WebTrainer.Worker.Training.Schedules;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(Optimizers.Sgd)]
    [InlineData(Optimizers.Adam)]
    [InlineData(Optimizers.AdamW)]
    public void Checkpoint_RoundTrip_RestoresWeightsOptimizerScheduleAndRngExactly(string optimizer)
    {
        TorchRuntime.Configure(2);
        var spec = new JobSpec
        {
            Training = new TrainingSpec
            {
                Optimizer = optimizer,
                LearningRate = 0.01,
                Momentum = 0.9,
                WeightDecay = 1e-3,
                Schedule = new LearningRateSchedule { Kind = "plateau", Patience = 1, Gamma = 0.5 },
                EarlyStopping = new EarlyStoppingSpec { Patience = 4 },
            },
        };
        var input = ModelInput.For(Architectures.SmallCnn, 1, 12, 12);
        using var original = TrainingSession.Create(spec, input, 6, CPU, null, new RecordingSink());
        Steps(original, 3, seed: 1);
        original.Scheduler.Observe(0.9, false);
        original.Scheduler.Observe(1.0, false);
        original.EarlyStopping.Observe(1, 0.9);
        original.EarlyStopping.Observe(2, 1.0);
        var state = new CheckpointState
        {
            SpecFingerprint = "abc",
            Architecture = Architectures.SmallCnn,
            Epoch = 3,
            NextBatch = 7,
            Sums = new MetricSums(12.345678901234567, 40, 55, 64),
            PartialElapsedMs = 1234.5,
            PartialWaitMs = 12.25,
            Scheduler = original.Scheduler.State,
            EarlyStopping = original.EarlyStopping.State,
            History = [new EpochMetrics { Epoch = 1, TrainLoss = 1.0 / 3, ValidationAccuracy = 0.1 }, new EpochMetrics { Epoch = 2, TrainLoss = 0.2 }],
        };
        var path = _temp.File("last.ckpt");
        CheckpointFile.Write(path, state, original.Model, original.Optimizer);
        var weights = WeightsOf(original.Model);
        var optimizerState = OptimizerStateOf(original);
        var rng = get_rng_state().data<byte>().ToArray();
        var nextDraw = rand(8).data<float>().ToArray();

        // Move everything on, so a restore that missed anything would show.
        Steps(original, 2, seed: 2);
        using var restored = TrainingSession.Create(spec, input, 6, CPU, null, new RecordingSink());
        var header = CheckpointFile.Restore(path, restored.Model, restored.Optimizer, CPU);

        Assert.Equal(weights, WeightsOf(restored.Model));
        Assert.Equal(optimizerState, OptimizerStateOf(restored));
        Assert.Equal(rng, get_rng_state().data<byte>().ToArray());
        Assert.Equal(nextDraw, rand(8).data<float>().ToArray());
        Assert.Equal(state with { History = [] }, header with { History = [] });
        Assert.Equal(state.History, header.History);
        Assert.Equal(state, CheckpointFile.ReadHeader(path) with { History = state.History });
        Assert.Equal(0.5, header.Scheduler.Multiplier);
        Assert.Equal(1, header.EarlyStopping.BestEpoch);
    }

    [Fact]
    public void Checkpoint_Write_IsAtomic_LeavingNoPartialFile()
    {
        TorchRuntime.Configure(2);
        var input = ModelInput.For(Architectures.SmallCnn, 1, 8, 8);
        using var session = TrainingSession.Create(new JobSpec(), input, 3, CPU, null, new RecordingSink());
        var path = _temp.File("last.ckpt");
        var state = new CheckpointState { SpecFingerprint = "f", Architecture = Architectures.SmallCnn, Epoch = 1, NextBatch = 0 };

        CheckpointFile.Write(path, state, session.Model, session.Optimizer);
        CheckpointFile.Write(path, state with { Epoch = 2 }, session.Model, session.Optimizer);

        Assert.Equal(2, CheckpointFile.ReadHeader(path).Epoch);
        Assert.Equal(["last.ckpt"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    public void Dispose() => _temp.Dispose();

    private static void Steps(TrainingSession session, int count, int seed)
    {
        session.BeginEpoch(1);
        session.Freezer.Train();
        using var generator = new Generator((ulong)seed);
        var metrics = new RunningMetrics(6);
        for (int i = 0; i < count; i++)
        {
            using var batch = new Batch(1, i, new long[8], rand([8, 1, 12, 12], generator: generator), randint(0, 6, [8], generator: generator));
            TrainStep.Run(session.Model, session.Optimizer, session.Criterion, batch, CPU, metrics);
        }
    }

    private static byte[] WeightsOf(nn.Module model)
    {
        using var memory = new MemoryStream();
        BestWeights.Write(memory, model);
        return memory.ToArray();
    }

    private static byte[] OptimizerStateOf(TrainingSession session)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            session.Optimizer.save_state_dict(writer);
        }
        return memory.ToArray();
    }
}
