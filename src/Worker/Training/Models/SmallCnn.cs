using TorchSharp;
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
/// </summary>
internal sealed class SmallCnn : Module<Tensor, Tensor>
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    public SmallCnn(int inputChannels, int classes) : base(nameof(SmallCnn))
    {
        _features = Sequential(
            ("conv1", Conv2d(inputChannels, 32, 3, padding: 1)),
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
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var features = _features.call(input);
        return _classifier.call(features);
    }

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
