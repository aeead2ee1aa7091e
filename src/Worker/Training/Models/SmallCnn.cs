using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// A small CNN for small images (Fashion-MNIST, CIFAR). Exactly, for C input channels and K classes:
/// conv3x3(C→32, pad 1) → BatchNorm → ReLU → maxpool 2 →
/// conv3x3(32→64, pad 1) → BatchNorm → ReLU → maxpool 2 →
/// adaptive average pool to 7×7 → flatten (3136) → dropout 0.25 → linear(3136→128) → ReLU → linear(128→K).
/// The adaptive pool is the identity for 28×28 inputs and lets any input size through.
/// docs/small-cnn.md has the same with shapes and parameter counts.
/// </summary>
internal sealed class SmallCnn : ImageClassifier
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    public SmallCnn(ModelInput input, int classes) : base(nameof(SmallCnn), input)
    {
        _features = Sequential(
            ("conv1", Conv2d(input.Channels, 32, 3, padding: 1)),
            ("bn1", BatchNorm2d(32)),
            ("relu1", ReLU()),
            ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(32, 64, 3, padding: 1)),
            ("bn2", BatchNorm2d(64)),
            ("relu2", ReLU()),
            ("pool2", MaxPool2d(2)),
            ("avgpool", AdaptiveAvgPool2d(7)));
        _classifier = Sequential(
            ("flatten", Flatten()),
            ("dropout", Dropout(0.25)),
            ("fc1", Linear(64 * 7 * 7, 128)),
            ("relu3", ReLU()),
            ("fc2", Linear(128, classes)));
        // Registered by hand so the keys read features.conv1.weight, not _features.conv1.weight.
        register_module("features", _features);
        register_module("classifier", _classifier);
    }

    public override IReadOnlyList<string> HeadModules { get; } = ["classifier.fc2"];

    protected override (Tensor Logits, Tensor? Auxiliary) ForwardNetwork(Tensor x, bool auxiliary) =>
        (_classifier.call(_features.call(x)), null);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _features.Dispose();
            _classifier.Dispose();
        }
        base.Dispose(disposing);
    }
}
