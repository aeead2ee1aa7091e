using TorchSharp;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// Builds the network a spec names, with its head sized for the dataset's classes and its input
/// adapted to the dataset's images. Every model of every path (training, run processes, inference,
/// tests, benchmarks) comes from here, so this is where <see cref="OneDnnWorkaround"/> is applied.
/// </summary>
internal static class ModelFactory
{
    public static ImageClassifier Create(string architecture, ModelInput input, int classes)
    {
        var workaround = OneDnnWorkaround.Current;
        var model = Build(architecture, input, classes);
        workaround.ApplyTo(model);
        return model;
    }

    public static ImageClassifier Create(string architecture, int channels, int height, int width, int classes) =>
        Create(architecture, ModelInput.For(architecture, channels, height, width), classes);

    private static ImageClassifier Build(string architecture, ModelInput input, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        return architecture switch
        {
            Architectures.SmallCnn => new SmallCnn(input, classes),
            Architectures.ResNet18 => new TorchVisionClassifier("ResNet18", torchvision.models.resnet18(classes), input, ["fc"]),
            Architectures.ResNet50 => new TorchVisionClassifier("ResNet50", torchvision.models.resnet50(classes), input, ["fc"]),
            Architectures.MobileNetV2 => new TorchVisionClassifier("MobileNetV2", torchvision.models.mobilenet_v2(classes), input, ["classifier.1"]),
            Architectures.InceptionV3 => new InceptionV3Classifier(input, classes),
            _ => throw new NotSupportedException(
                $"model.architecture '{architecture}' is not available; choose one of: {string.Join(", ", Architectures.All)}"),
        };
    }
}
