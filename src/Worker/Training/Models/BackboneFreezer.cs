using TorchSharp.Modules;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// Splits a classifier's parameters into head and backbone and freezes the backbone: no
/// gradients, and its BatchNorm layers in inference mode, so neither weights nor running
/// statistics move (as Keras does for non-trainable layers). The head trains as usual.
/// </summary>
internal sealed class BackboneFreezer
{
    private readonly ImageClassifier _model;

    public BackboneFreezer(ImageClassifier model)
    {
        _model = model;
        Head = model.named_parameters().Where(p => model.IsHead(p.name)).Select(p => p.parameter).ToList();
        Backbone = model.named_parameters().Where(p => !model.IsHead(p.name)).Select(p => p.parameter).ToList();
        if (Head.Count == 0)
        {
            throw new InvalidOperationException($"{model.GetName()} has no parameters under its head layers {string.Join(", ", model.HeadModules)}");
        }
    }

    public IReadOnlyList<Parameter> Head { get; }

    public IReadOnlyList<Parameter> Backbone { get; }

    public bool Frozen { get; private set; }

    public void SetFrozen(bool frozen)
    {
        foreach (var parameter in Backbone)
        {
            parameter.requires_grad = !frozen;
        }
        Frozen = frozen;
    }

    /// <summary>Puts the model in training mode, the frozen backbone's BatchNorm layers excepted. Call at the start of every training epoch.</summary>
    public void Train()
    {
        _model.train();
        if (!Frozen)
        {
            return;
        }
        foreach (var (name, module) in _model.named_modules())
        {
            if (module is BatchNorm && !_model.IsHead(name))
            {
                module.eval();
            }
        }
    }
}
