namespace WebTrainer.Worker.Training.Checkpoints;

/// <summary>
/// The run directory holds a checkpoint of a different spec (or dataset shape, or format).
/// An <see cref="InvalidOperationException"/>, so the job fails with this message instead of
/// silently training on top of, or overwriting, someone else's run.
/// </summary>
internal sealed class CheckpointMismatchException(string message) : InvalidOperationException(message);
