using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// A TorchVision network whose own forward pass is used as is (ResNet, MobileNetV2). Its
/// children are registered directly on this module, so state-dict keys are exactly
/// TorchVision's (and PyTorch's): <c>conv1.weight</c>, not <c>network.conv1.weight</c>.
/// Weights exported from PyTorch and our own saved models load by the same names.
/// </summary>
internal class TorchVisionClassifier : ImageClassifier
{
    private readonly nn.Module<Tensor, Tensor> _network;

    public TorchVisionClassifier(string name, nn.Module<Tensor, Tensor> network, ModelInput input, IReadOnlyList<string> headModules)
        : base(name, input)
    {
        _network = network;
        HeadModules = headModules;
        // Deliberately no RegisterComponents(): that would register _network itself and prefix every key.
        foreach (var (childName, child) in network.named_children())
        {
            register_module(childName, child);
        }
    }

    public override IReadOnlyList<string> HeadModules { get; }

    protected nn.Module Child(string name) =>
        named_children().FirstOrDefault(c => c.name == name).module
        ?? throw new InvalidOperationException($"{GetName()} has no layer '{name}'");

    protected override (Tensor Logits, Tensor? Auxiliary) ForwardNetwork(Tensor x, bool auxiliary) => (_network.call(x), null);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _network.Dispose();
        }
        base.Dispose(disposing);
    }
}
