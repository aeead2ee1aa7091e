using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class FineTuningTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Freezing_TrainsOnlyTheHead_ThenEverythingAfterUnfreezing()
    {
        TorchRuntime.Configure(2);
        var spec = new JobSpec
        {
            Model = new ModelSpec { Architecture = Architectures.ResNet18, FreezeBackboneEpochs = 1, BackboneLearningRateFactor = 0.1 },
            Training = new TrainingSpec { Optimizer = Optimizers.Sgd, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-3 },
        };
        using var session = TrainingSession.Create(spec, ModelInput.For(Architectures.ResNet18, 3, 32, 32), 3, CPU, null, new RecordingSink());
        var initial = Snapshot(session.Model);

        Steps(session, epoch: 1);

        Assert.Equal([0.05, 0.005], session.Optimizer.ParamGroups.Select(g => Math.Round(g.LearningRate, 12)));
        var frozen = Snapshot(session.Model);
        Assert.Equal(["fc.bias", "fc.weight"], Changed(initial, frozen).Order(StringComparer.Ordinal));

        Steps(session, epoch: 2);

        var unfrozen = Snapshot(session.Model);
        var parameters = session.Model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Equal(parameters.Order(StringComparer.Ordinal), Changed(frozen, unfrozen).Where(parameters.Contains).Order(StringComparer.Ordinal));
        Assert.Contains("layer1.0.bn1.running_mean", Changed(frozen, unfrozen));
    }

    [Fact]
    public void Pretrained_LoadsEverythingButAHeadOfAnotherClassCount_AndReportsIt()
    {
        TorchRuntime.Configure(2);
        var path = _temp.File("imagenet-like.weights");
        using (var source = ModelFactory.Create(Architectures.ResNet18, 3, 32, 32, classes: 10))
        {
            AtomicFile.Write(path, stream => BestWeights.Write(stream, source));
        }
        using var reference = ModelFactory.Create(Architectures.ResNet18, 3, 32, 32, classes: 10);
        reference.load(path);
        using var target = ModelFactory.Create(Architectures.ResNet18, 3, 32, 32, classes: 4);

        var report = PretrainedWeights.Load(target, path);

        Assert.Equal(["fc.weight [10,512] (model has [4,512])", "fc.bias [10] (model has [4])"], report.Skipped);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unused);
        Assert.Equal(target.state_dict().Count - 2, report.Loaded);
        var expected = reference.state_dict();
        foreach (var (name, tensor) in target.state_dict().Where(e => !e.Key.StartsWith("fc.", StringComparison.Ordinal)))
        {
            Assert.True(tensor.eq(expected[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void Pretrained_RefusesFilesThatAreNotWeightsForTheModel()
    {
        TorchRuntime.Configure(2);
        var weights = _temp.File("resnet.weights");
        using (var resnet = ModelFactory.Create(Architectures.ResNet18, 3, 32, 32, classes: 4))
        {
            AtomicFile.Write(weights, stream => BestWeights.Write(stream, resnet));
        }
        var garbage = _temp.File("garbage.weights");
        File.WriteAllText(garbage, "this is not a weights file at all");
        using var small = ModelFactory.Create(Architectures.SmallCnn, 3, 32, 32, classes: 4);

        Assert.Contains("another architecture", Assert.Throws<InvalidOperationException>(() => PretrainedWeights.Load(small, weights)).Message, StringComparison.Ordinal);
        Assert.Contains("not a TorchSharp weights file", Assert.Throws<InvalidOperationException>(() => PretrainedWeights.Load(small, garbage)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trainer_FineTunesFromTheModelOfAnotherRun_WithANewHead()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = TrainingFixture.Spec(file, new TrainingSpec { Epochs = 1, BatchSize = 32, LearningRate = 0.003 });
        var data = TrainingData.Open(file, spec.Dataset);
        var first = TrainingFixture.RunDirectory(_temp, "first");
        await new Trainer(new TrainerSettings { RunDirectory = first }, new RecordingSink()).RunAsync(spec, data, CancellationToken.None);

        var other = await TrainingFixture.SynthAsync(_temp, classes: 3);
        var tuned = TrainingFixture.Spec(other, spec.Training, new ModelSpec { PretrainedWeights = "first/model.weights", FreezeBackboneEpochs = 1 });
        var otherData = TrainingData.Open(other, tuned.Dataset);
        var sink = new RecordingSink();
        var test = await new Trainer(new TrainerSettings { PretrainedWeightsFile = new RunDirectory(first).ModelWeights }, sink)
            .RunAsync(tuned, otherData, CancellationToken.None);

        Assert.NotNull(test);
        Assert.Contains(sink.Events, e => e.Message.StartsWith("Pretrained weights first/model.weights: loaded 16 tensors; skipped", StringComparison.Ordinal)
            && e.Message.Contains("classifier.fc2.weight [6,128] (model has [3,128])", StringComparison.Ordinal));
        Assert.Contains(sink.Events, e => e.Message.StartsWith("Backbone frozen until epoch 1", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();

    private static void Steps(TrainingSession session, int epoch)
    {
        session.BeginEpoch(epoch);
        session.Freezer.Train();
        using var generator = new Generator((ulong)epoch);
        var metrics = new RunningMetrics(3);
        for (int i = 0; i < 2; i++)
        {
            using var batch = new Batch(epoch, i, new long[4], rand([4, 3, 32, 32], generator: generator), randint(0, 3, [4], generator: generator));
            TrainStep.Run(session.Model, session.Optimizer, session.Criterion, batch, CPU, metrics);
        }
    }

    private static Dictionary<string, float[]> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(e => e.Key, e => e.Value.to_type(ScalarType.Float32).data<float>().ToArray());

    private static IEnumerable<string> Changed(Dictionary<string, float[]> before, Dictionary<string, float[]> after) =>
        before.Keys.Where(k => !before[k].AsSpan().SequenceEqual(after[k]));
}
