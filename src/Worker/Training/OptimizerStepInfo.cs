using WebTrainer.Worker.Training.Models;

namespace WebTrainer.Worker.Training;

/// <summary>
/// An optimiser step about to update the weights: its number over the run (0-based), the head's
/// learning rate, and the gradients' global norm before clipping (null when not clipping).
/// </summary>
internal sealed record OptimizerStepInfo(int Epoch, long Step, double LearningRate, double? GradientNormBeforeClipping);

/// <summary>Sees each step after clipping and before the update, with the model's gradients in place (tests, diagnostics).</summary>
internal delegate void OptimizerStepObserver(OptimizerStepInfo step, ImageClassifier model);
