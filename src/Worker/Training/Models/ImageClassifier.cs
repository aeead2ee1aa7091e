using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// A network that classifies dataset-shaped images into K classes. Besides the logits it says
/// which layers form the class-count-sized head (fine-tuning replaces, unfreezes and gives them
/// their own learning rate) and, for networks with one, returns an auxiliary classifier's logits
/// while training.
/// </summary>
internal abstract class ImageClassifier(string name, ModelInput input) : nn.Module<Tensor, Tensor>(name)
{
    public ModelInput Input { get; } = input;

    /// <summary>Module names (state-dict key prefixes) of the head; every other parameter is backbone.</summary>
    public abstract IReadOnlyList<string> HeadModules { get; }

    /// <summary>Weight of the auxiliary logits' loss while training (0: the network has none).</summary>
    public virtual double AuxiliaryLossWeight => 0;

    public bool IsHead(string key) =>
        HeadModules.Any(m => key.Length > m.Length ? key.StartsWith(m, StringComparison.Ordinal) && key[m.Length] == '.' : key == m);

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardNetwork(Input.Adapt(input), auxiliary: false).Logits.MoveToOuterDisposeScope();
    }

    /// <summary>Logits and, in training mode where the network has one, the auxiliary logits.</summary>
    public (Tensor Logits, Tensor? Auxiliary) ForwardTraining(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (logits, auxiliary) = ForwardNetwork(Input.Adapt(input), auxiliary: training && AuxiliaryLossWeight > 0);
        return (logits.MoveToOuterDisposeScope(), auxiliary?.MoveToOuterDisposeScope());
    }

    /// <summary>The network proper, on input already adapted to <see cref="Input"/>.</summary>
    protected abstract (Tensor Logits, Tensor? Auxiliary) ForwardNetwork(Tensor x, bool auxiliary);
}
