using TorchSharp;
using WebTrainer.Worker.Training.Schedules;

namespace WebTrainer.Worker.Training;

/// <summary>
/// One optimiser step on what the group of batches accumulated: the warmup's learning rate for the
/// step's number, then gradient clipping by global L2 norm, then the update.
/// </summary>
internal sealed class OptimizerStepper(TrainingSession session, GradientAccumulation groups, OptimizerStepObserver? observer)
{
    private readonly LearningRateWarmup _warmup = LearningRateWarmup.For(session.Spec.Training, groups.StepsPerEpoch);
    private readonly double _clipNorm = ClipNorm(session.Spec.Training.GradientClipNorm);

    /// <param name="stepInEpoch">Optimiser steps this epoch has already taken.</param>
    public void Step(int epoch, int stepInEpoch)
    {
        long step = (long)(epoch - 1) * groups.StepsPerEpoch + stepInEpoch;
        if (_warmup.Steps > 0)
        {
            // Set on every step, the one after the warmup too: that one puts the schedule's rate back.
            OptimizerFactory.SetLearningRate(session.Optimizer, session.Scheduler.LearningRateFor(epoch) * _warmup.FactorAt(step),
                session.Spec.Model.BackboneLearningRateFactor);
        }
        double? norm = null;
        if (_clipNorm > 0)
        {
            // Frozen parameters have no gradient; libtorch's clip would refuse the undefined tensors.
            var withGradients = session.Model.parameters().Where(p => p.grad is not null).ToList();
            norm = ClipOnDevice(withGradients, _clipNorm, read: observer is not null);
        }
        observer?.Invoke(new OptimizerStepInfo(epoch, step, session.Optimizer.ParamGroups.First().LearningRate, norm), session.Model);
        session.Optimizer.step();
    }

    /// <summary>
    /// libtorch's clip_grad_norm_ step by step (stack of per-tensor norms, coefficient max/(norm+1e-6) clamped
    /// at 1, grads scaled in place), so the numbers are the same, but without its closing item(): that would
    /// make every optimiser step wait for the device. The norm is read back only when someone observes it.
    /// </summary>
    internal static double? ClipOnDevice(IReadOnlyList<torch.Tensor> parameters, double maxNorm, bool read)
    {
        if (parameters.Count == 0)
        {
            return read ? 0 : null;
        }
        using var scope = torch.NewDisposeScope();
        var total = torch.stack(parameters.Select(p => p.grad!.norm(2.0f)).ToArray()).norm(2.0f);
        var coefficient = torch.clamp(maxNorm / (total + 1e-6), max: 1.0);
        using (torch.no_grad())
        {
            foreach (var parameter in parameters)
            {
                parameter.grad!.mul_(coefficient);
            }
        }
        return read ? total.ToDouble() : null;
    }

    private static double ClipNorm(double? value) => value switch
    {
        null or 0 => 0,
        > 0 when double.IsFinite(value.Value) => value.Value,
        _ => throw new InvalidOperationException($"training.gradientClipNorm must be positive (or 0 for none), not {value}"),
    };
}
