using TorchSharp;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// One optimisation step on one batch, inside one dispose scope: every tensor it makes is freed
/// when it returns and only numbers reach the metrics. Shared by the trainer and the benchmark,
/// so the benchmark measures the step that really runs.
/// </summary>
internal static class TrainStep
{
    public static void Run(ImageClassifier model, optim.Optimizer optimizer, LossFunction criterion, Batch batch, Device device,
        RunningMetrics metrics)
    {
        using var scope = NewDisposeScope();
        // Gradient mode is per thread and this step runs on whichever pool thread the loader's await resumed on.
        using var gradients = enable_grad();
        var x = batch.ToModelInput(device);
        var y = batch.Labels.to(device);
        optimizer.zero_grad();
        var (logits, auxiliary) = model.ForwardTraining(x);
        var loss = criterion.Compute(logits, y);
        // The auxiliary head (InceptionV3) adds to what is minimised; the reported loss is the main head's alone.
        // An explicit Scalar held until the call returns: a temporary one can be finalized under libtorch (see PixelNormalizer).
        using var weight = model.AuxiliaryLossWeight.ToScalar();
        using var one = 1.0.ToScalar();
        var objective = auxiliary is null ? loss : loss.add(criterion.Compute(auxiliary, y).mul(weight), one);
        objective.backward();
        optimizer.step();
        metrics.Add(logits.detach(), y, loss.item<float>());
    }
}
