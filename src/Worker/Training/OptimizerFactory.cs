using TorchSharp.Modules;
using WebTrainer.Shared.Jobs;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Builds the optimiser with two parameter groups, head first and backbone second, so the
/// backbone can learn at <c>BackboneLearningRateFactor</c> times the head's rate. Frozen
/// parameters stay in their group: they have no gradient, and TorchSharp's optimisers skip
/// parameters without one (no weight decay, no momentum), so freezing needs no rebuild.
/// </summary>
internal static class OptimizerFactory
{
    public static OptimizerHelper Create(TrainingSpec training, IReadOnlyList<Parameter> head, IReadOnlyList<Parameter> backbone,
        double backboneFactor)
    {
        if (training.LearningRate <= 0 || double.IsNaN(training.LearningRate))
        {
            throw new InvalidOperationException($"training.learningRate must be positive, not {training.LearningRate}");
        }
        if (backboneFactor < 0 || double.IsNaN(backboneFactor))
        {
            throw new InvalidOperationException($"model.backboneLearningRateFactor must be 0 or more, not {backboneFactor}");
        }
        double lr = training.LearningRate, backboneLr = lr * backboneFactor;
        switch (training.Optimizer)
        {
            case Optimizers.Sgd:
                return optim.SGD(
                    [
                        new SGD.ParamGroup(head, lr, training.Momentum, 0, training.WeightDecay, training.Nesterov),
                        new SGD.ParamGroup(backbone, backboneLr, training.Momentum, 0, training.WeightDecay, training.Nesterov),
                    ],
                    lr, training.Momentum, 0, training.WeightDecay, training.Nesterov);
            case Optimizers.Adam:
                return optim.Adam(
                    [
                        new Adam.ParamGroup(head, lr, 0.9, 0.999, 1e-8, training.WeightDecay),
                        new Adam.ParamGroup(backbone, backboneLr, 0.9, 0.999, 1e-8, training.WeightDecay),
                    ],
                    lr, weight_decay: training.WeightDecay);
            case Optimizers.AdamW:
                // AdamW without decay is Adam; PyTorch's default decay of 0.01 applies when none is given.
                double decay = training.WeightDecay > 0 ? training.WeightDecay : 0.01;
                return optim.AdamW(
                    [
                        new AdamW.ParamGroup(head, lr, 0.9, 0.999, 1e-8, decay),
                        new AdamW.ParamGroup(backbone, backboneLr, 0.9, 0.999, 1e-8, decay),
                    ],
                    lr, weight_decay: decay);
            default:
                throw new NotSupportedException(
                    $"training.optimizer '{training.Optimizer}' is not available; choose one of: {string.Join(", ", Optimizers.All)}");
        }
    }

    /// <summary>Sets the head's rate and the backbone's as its multiple.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double headLearningRate, double backboneFactor)
    {
        int group = 0;
        foreach (var controller in optimizer.ParamGroups)
        {
            controller.LearningRate = group++ == 0 ? headLearningRate : headLearningRate * backboneFactor;
        }
    }
}
