using TorchSharp;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// TorchVision's InceptionV3 with its auxiliary classifier in use. TorchSharp's own forward never
/// calls <c>AuxLogits</c>, so this runs the same layers in the same order and, while training,
/// also returns the auxiliary logits computed from <c>Mixed_6e</c> (weighted 0.4 in the loss, as
/// in the paper and torchvision's reference training). In eval mode only the main logits come out.
/// </summary>
internal sealed class InceptionV3Classifier : TorchVisionClassifier
{
    private static readonly string[] BeforeAuxiliary =
    [
        "Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1", "Conv2d_4a_3x3", "maxpool2",
        "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e",
    ];

    private static readonly string[] AfterAuxiliary = ["Mixed_7a", "Mixed_7b", "Mixed_7c", "avgpool", "dropout"];

    private readonly nn.Module<Tensor, Tensor>[] _before;
    private readonly nn.Module<Tensor, Tensor>[] _after;
    private readonly nn.Module<Tensor, Tensor> _auxiliary;
    private readonly nn.Module<Tensor, Tensor> _fc;

    public InceptionV3Classifier(ModelInput input, int classes)
        : base(nameof(InceptionV3Classifier), torchvision.models.inception_v3(classes), input, ["fc", "AuxLogits.fc"])
    {
        _before = BeforeAuxiliary.Select(Layer).ToArray();
        _after = AfterAuxiliary.Select(Layer).ToArray();
        _auxiliary = Layer("AuxLogits");
        _fc = Layer("fc");
    }

    public override double AuxiliaryLossWeight => 0.4;

    protected override (Tensor Logits, Tensor? Auxiliary) ForwardNetwork(Tensor x, bool auxiliary)
    {
        foreach (var layer in _before)
        {
            x = layer.call(x);
        }
        var aux = auxiliary ? _auxiliary.call(x) : null;
        foreach (var layer in _after)
        {
            x = layer.call(x);
        }
        return (_fc.call(x.flatten(1)), aux);
    }

    private nn.Module<Tensor, Tensor> Layer(string name) =>
        Child(name) as nn.Module<Tensor, Tensor> ?? throw new InvalidOperationException($"InceptionV3 layer '{name}' is not a tensor-to-tensor module");
}
