using TorchSharp;
using WebTrainer.Shared.Jobs;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

internal static class OptimizerFactory
{
    public static optim.Optimizer Create(TrainingSpec training, IEnumerable<TorchSharp.Modules.Parameter> parameters) => training.Optimizer switch
    {
        Optimizers.Sgd => optim.SGD(parameters, training.LearningRate, momentum: training.Momentum,
            nesterov: training.Nesterov, weight_decay: training.WeightDecay),
        Optimizers.Adam => optim.Adam(parameters, training.LearningRate, weight_decay: training.WeightDecay),
        Optimizers.AdamW => optim.AdamW(parameters, training.LearningRate,
            weight_decay: training.WeightDecay > 0 ? training.WeightDecay : 0.01),
        _ => throw new NotSupportedException(
            $"training.optimizer '{training.Optimizer}' is not available; choose one of: {string.Join(", ", Optimizers.All)}"),
    };
}
