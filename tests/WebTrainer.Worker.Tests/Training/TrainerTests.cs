using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Samples;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Trainer_LearnsSyntheticStripes_WellAboveChance()
    {
        var file = _temp.File("synth.h5");
        Assert.Equal(0, await DatasetCommand.RunAsync(["synth", "--out", file, "--count", "1500", "--size", "16", "--classes", "4"], CancellationToken.None));
        var spec = new JobSpec
        {
            Name = "smoke",
            Dataset = new DatasetSpec
            {
                File = file,
                Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" },
                Test = new SplitSpec { Images = "test_img", Labels = "test_labels" },
            },
            Training = new TrainingSpec { Epochs = 3, BatchSize = 32, LearningRate = 0.003 },
        };
        TorchRuntime.Configure(2);
        var data = TrainingData.Open(file, spec.Dataset);
        var sink = new RecordingSink();

        var test = await new Trainer(new TrainerSettings(), sink).RunAsync(spec, data, CancellationToken.None);

        Assert.Equal(3, sink.Epochs.Count);
        Assert.NotNull(test);
        // Chance is 25 %: three epochs of a learnable pattern must do far better.
        Assert.True(test.Accuracy > 0.7, $"test accuracy {test.Accuracy}");
        Assert.True(sink.Epochs[^1].TrainLoss < sink.Epochs[0].TrainLoss);
        Assert.All(sink.Epochs, e => Assert.NotNull(e.ValidationAccuracy));
        Assert.Equal(4, test.ConfusionMatrix.Count);
        Assert.Equal("stripes 45°", test.Classes[1]);
        Assert.Equal(data.Test!.Count, test.ConfusionMatrix.Sum(r => r.Sum()));
    }

    public void Dispose() => _temp.Dispose();
}
