using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Artifacts;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>
/// The trained model as PyTorch sees it: model.pt and model.safetensors beside model.weights load
/// back here unchanged, load into torchvision's (or docs/small-cnn.md's) PyTorch module with
/// strict=True and compute the same logits there; and state dicts PyTorch wrote fine-tune here.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class PyTorchInteropTests : IDisposable
{
    private const int Classes = 3;
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(Architectures.SmallCnn, 1, 28, RunDirectory.ModelPyTorchFileName)]
    [InlineData(Architectures.SmallCnn, 1, 28, RunDirectory.ModelSafetensorsFileName)]
    [InlineData(Architectures.ResNet18, 3, 32, RunDirectory.ModelPyTorchFileName)]
    [InlineData(Architectures.ResNet18, 3, 32, RunDirectory.ModelSafetensorsFileName)]
    [InlineData(Architectures.MobileNetV2, 3, 32, RunDirectory.ModelPyTorchFileName)]
    public void Export_LoadsBackAsPretrainedWeights_WithIdenticalParametersAndLogits(string architecture, int channels, int size, string file)
    {
        var run = Export(architecture, channels, size, out var trained);
        using var _ = trained;
        manual_seed(99);
        using var loaded = ModelFactory.Create(architecture, channels, size, size, Classes);

        var report = PretrainedWeights.Load(loaded, Path.Combine(run.Path, file));

        Assert.Equal(trained.state_dict().Count, report.Loaded);
        Assert.Empty(report.Skipped);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unused);
        var expected = trained.state_dict();
        foreach (var (name, tensor) in loaded.state_dict())
        {
            Assert.True(Same(tensor, expected[name]), name);
        }
        using var input = rand([2, channels, size, size], generator: new Generator(5));
        Assert.True(Same(Logits(trained, input), Logits(loaded, input)));
    }

    [PyTorchTheory]
    [InlineData(Architectures.SmallCnn, 1, 28, RunDirectory.ModelPyTorchFileName)]
    [InlineData(Architectures.SmallCnn, 3, 32, RunDirectory.ModelSafetensorsFileName)]
    [InlineData(Architectures.ResNet18, 3, 32, RunDirectory.ModelPyTorchFileName)]
    [InlineData(Architectures.ResNet18, 3, 32, RunDirectory.ModelSafetensorsFileName)]
    [InlineData(Architectures.MobileNetV2, 3, 32, RunDirectory.ModelPyTorchFileName)]
    [InlineData(Architectures.ResNet50, 3, 32, RunDirectory.ModelPyTorchFileName)]
    [InlineData(Architectures.InceptionV3, 3, 299, RunDirectory.ModelPyTorchFileName)]
    public void PyTorch_LoadsTheExportStrictly_AndComputesTheSameLogits(string architecture, int channels, int size, string file)
    {
        var run = Export(architecture, channels, size, out var trained);
        using var _ = trained;
        using var input = rand([2, channels, size, size], generator: new Generator(5));

        var theirs = PyTorchLogits(architecture, channels, size, Path.Combine(run.Path, file), input);

        AssertClose(Logits(trained, input), theirs);
    }

    [PyTorchFact]
    public void TorchvisionStateDict_SavedByPyTorch_LoadsCompletely_AndComputesPyTorchsLogits()
    {
        TorchRuntime.Configure(2);
        var weights = _temp.File("resnet18-from-pytorch.pt");
        PyTorchPython.Models("export", Architectures.ResNet18, "3", "32", $"{Classes}", weights);
        using var model = ModelFactory.Create(Architectures.ResNet18, 3, 32, 32, Classes);
        using var input = rand([2, 3, 32, 32], generator: new Generator(5));

        var report = PretrainedWeights.Load(model, weights);

        Assert.Equal((model.state_dict().Count, 0, 0, 0), (report.Loaded, report.Skipped.Count, report.Missing.Count, report.Unused.Count));
        Assert.Equal(2L, model.state_dict()["bn1.num_batches_tracked"].item<long>());
        AssertClose(Logits(model, input), PyTorchLogits(Architectures.ResNet18, 3, 32, weights, input));
    }

    [PyTorchFact]
    public async Task SmallCnnStateDict_SavedByPyTorch_FineTunesWithANewHead()
    {
        var data = await TrainingFixture.SynthAsync(_temp, classes: 4);
        var weights = _temp.File("small-cnn-from-pytorch.pt");
        PyTorchPython.Models("export", Architectures.SmallCnn, "3", "12", "10", weights);
        var spec = TrainingFixture.Spec(data, new TrainingSpec { Epochs = 1, BatchSize = 32, LearningRate = 0.003 },
            new ModelSpec { PretrainedWeights = "small-cnn-from-pytorch.pt" });
        var sink = new RecordingSink();

        var test = await new Trainer(new TrainerSettings { PretrainedWeightsFile = weights }, sink)
            .RunAsync(spec, TrainingData.Open(data, spec.Dataset), CancellationToken.None);

        Assert.NotNull(test);
        Assert.Contains(sink.Events, e => e.Message.StartsWith("Pretrained weights small-cnn-from-pytorch.pt: loaded 16 tensors; skipped", StringComparison.Ordinal)
            && e.Message.Contains("classifier.fc2.weight [10,128] (model has [4,128])", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A model after a little training (BatchNorm statistics and counters moved), written as a run writes it.</summary>
    private RunDirectory Export(string architecture, int channels, int size, out ImageClassifier model)
    {
        TorchRuntime.Configure(2);
        var spec = new JobSpec
        {
            Model = new ModelSpec { Architecture = architecture },
            Training = new TrainingSpec { Optimizer = Optimizers.Adam, LearningRate = 0.001, Seed = 3 },
        };
        var session = TrainingSession.Create(spec, ModelInput.For(architecture, channels, size, size), Classes, CPU, null, new RecordingSink());
        session.BeginEpoch(1);
        session.Freezer.Train();
        using (var generator = new Generator(11))
        {
            // The two large networks only run forward in training mode: enough to move every BatchNorm, and quick.
            bool step = architecture is Architectures.SmallCnn or Architectures.ResNet18 or Architectures.MobileNetV2;
            for (int i = 0; i < 2; i++)
            {
                using var images = rand([2, channels, size, size], generator: generator);
                using var labels = randint(0, Classes, [2], generator: generator);
                if (step)
                {
                    using var batch = new Batch(1, i, new long[2], images.clone(), labels.clone());
                    TrainStep.Run(session.Model, session.Optimizer, session.Criterion, batch, CPU, new RunningMetrics(Classes));
                }
                else
                {
                    using var noGrad = no_grad();
                    using var logits = session.Model.call(images);
                }
            }
        }
        var run = new RunDirectory(_temp.File($"{architecture}-{channels}-{size}"));
        ModelArtifacts.Write(run, session.Model, new ModelManifest
        {
            Architecture = architecture,
            Classes = ["a", "b", "c"],
            Input = session.Model.Input,
            Normalization = new InputNormalization(1 / 255.0, null, null),
            DatasetFile = "synthetic.h5",
            SpecFingerprint = "test",
        });
        model = session.Model;
        session.Optimizer.Dispose();
        session.Criterion.Dispose();
        return run;
    }

    private static bool Same(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static Tensor Logits(ImageClassifier model, Tensor input)
    {
        model.eval();
        using var noGrad = no_grad();
        return model.call(input);
    }

    private float[] PyTorchLogits(string architecture, int channels, int size, string weights, Tensor input)
    {
        var inputFile = _temp.File($"input-{Guid.NewGuid():N}.f32");
        var outputFile = inputFile + ".logits";
        File.WriteAllBytes(inputFile, input.contiguous().bytes.ToArray());
        PyTorchPython.Models("check", architecture, $"{channels}", $"{size}", $"{Classes}", weights, inputFile, outputFile);
        var bytes = File.ReadAllBytes(outputFile);
        var logits = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, logits, 0, bytes.Length);
        return logits;
    }

    private static void AssertClose(Tensor ours, float[] theirs)
    {
        var mine = ours.data<float>().ToArray();
        Assert.Equal(mine.Length, theirs.Length);
        // 1e-5, relative to the logit where it exceeds 1: two libtorch builds round float32 sums differently.
        double worst = mine.Zip(theirs).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.Second)));
        Assert.True(worst <= 1e-5, $"largest logit difference {worst:g3}; ours [{string.Join(", ", mine)}], PyTorch's [{string.Join(", ", theirs)}]");
    }
}
