using System.Globalization;

namespace WebTrainer.Worker.Training;

/// <summary>
/// The training loss stopped being a finite number (Keras's TerminateOnNaN): nothing more can be
/// learnt, so the run ends Failed with this sentence and is not started again.
/// </summary>
internal sealed class TrainingDivergedException(string message) : Exception(message)
{
    /// <param name="batch">1-based, as the job's other messages count batches.</param>
    public static TrainingDivergedException At(int epoch, int batch, float loss) => new(string.Create(CultureInfo.InvariantCulture,
        $"The loss became {(float.IsNaN(loss) ? "NaN" : "infinite")} at epoch {epoch}, batch {batch}; try a lower learning rate or gradient clipping"));
}
