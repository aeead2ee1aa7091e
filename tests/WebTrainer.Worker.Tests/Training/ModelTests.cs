using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class ModelTests
{
    /// <summary>Each architecture at its native input size, plus the adaptations the wrapper does (grey to RGB, upsizing).</summary>
    public static TheoryData<string, int, int, int, int> Inputs => new()
    {
        { Architectures.SmallCnn, 1, 28, 28, 28 },
        { Architectures.ResNet18, 3, 224, 224, 224 },
        { Architectures.ResNet50, 3, 224, 224, 224 },
        { Architectures.MobileNetV2, 3, 224, 224, 224 },
        { Architectures.InceptionV3, 3, 299, 299, 299 },
        { Architectures.InceptionV3, 1, 28, 28, 299 },
        { Architectures.ResNet18, 1, 28, 28, 32 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Model_BuildsAndRunsForwardAndBackward_OnDatasetShapedInput(string architecture, int channels, int height, int width, int networkSize)
    {
        TorchRuntime.Configure(2);
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(architecture, channels, height, width, classes: 7);
        Assert.Equal((networkSize, networkSize), (model.Input.Height, model.Input.Width));
        var images = rand(2, channels, height, width);
        var labels = tensor(new long[] { 1, 6 });

        model.train();
        var (logits, auxiliary) = model.ForwardTraining(images);
        var loss = nn.functional.cross_entropy(logits, labels);
        if (auxiliary is not null)
        {
            Assert.Equal([2L, 7L], auxiliary.shape);
            loss = loss + nn.functional.cross_entropy(auxiliary, labels) * model.AuxiliaryLossWeight;
        }
        loss.backward();

        Assert.Equal([2L, 7L], logits.shape);
        Assert.Equal(architecture == Architectures.InceptionV3, auxiliary is not null);
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        model.eval();
        using (no_grad())
        {
            Assert.Equal([2L, 7L], model.call(images).shape);
            Assert.Null(model.ForwardTraining(images).Auxiliary);
        }
    }

    [Fact]
    public void ModelInput_RefusesChannelCountsItCannotAdapt()
    {
        Assert.Throws<NotSupportedException>(() => ModelInput.For(Architectures.ResNet18, 2, 32, 32));
        Assert.Throws<NotSupportedException>(() => ModelInput.For("vgg16", 3, 32, 32));
        Assert.Equal(new ModelInput(4, 40, 50, 3, 40, 50), ModelInput.For(Architectures.MobileNetV2, 4, 40, 50));
    }
}
