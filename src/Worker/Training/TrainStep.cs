using TorchSharp;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// The work of one batch inside one dispose scope: every tensor it makes is freed when it returns
/// and only numbers reach the metrics. Shared by the trainer and the benchmark, so the benchmark
/// measures the step that really runs.
/// </summary>
internal static class TrainStep
{
    /// <summary>One optimisation step on one batch: what the benchmark measures.</summary>
    public static void Run(ImageClassifier model, optim.Optimizer optimizer, LossFunction criterion, Batch batch, Device device,
        RunningMetrics metrics)
    {
        optimizer.zero_grad();
        Backward(model, criterion, batch, device, metrics, 1.0);
        optimizer.step();
    }

    /// <summary>
    /// Forward and backward pass of one batch, adding its gradient times <paramref name="lossScale"/>
    /// to what the parameters hold, and its loss (unscaled) and predictions to <paramref name="metrics"/>.
    /// Nothing here reads a value back from the device: a CUDA step only queues work, and a loss that is
    /// not finite is recorded by the metrics (with the batch's index) for the caller to find when it reads
    /// them. Its gradients are then not finite either and the parameters the optimiser makes of them are
    /// worthless, which is fine: the caller ends the run when it sees the mark and keeps nothing made after it.
    /// </summary>
    public static void Backward(ImageClassifier model, LossFunction criterion, Batch batch, Device device, RunningMetrics metrics,
        double lossScale)
    {
        using var scope = NewDisposeScope();
        // Gradient mode is per thread and this step runs on whichever pool thread the loader's await resumed on.
        using var gradients = enable_grad();
        var x = batch.ToModelInput(device);
        var y = batch.LabelsOn(device);
        var (logits, auxiliary) = model.ForwardTraining(x);
        var loss = criterion.Compute(logits, y);
        // The auxiliary head (InceptionV3) adds to what is minimised; the reported loss is the main head's alone.
        // An explicit Scalar held until the call returns: a temporary one can be finalized under libtorch (see PixelNormalizer).
        using var weight = model.AuxiliaryLossWeight.ToScalar();
        using var one = 1.0.ToScalar();
        var objective = auxiliary is null ? loss : loss.add(criterion.Compute(auxiliary, y).mul(weight), one);
        if (lossScale != 1.0)
        {
            using var scale = lossScale.ToScalar();
            objective = objective.mul(scale);
        }
        objective.backward();
        metrics.Add(logits.detach(), y, loss, batch.Index);
    }
}
