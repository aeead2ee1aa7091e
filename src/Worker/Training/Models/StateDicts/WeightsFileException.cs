namespace WebTrainer.Worker.Training.Models.StateDicts;

/// <summary>A weights file that is readable but is not what it should be; the message says what to do instead.</summary>
internal sealed class WeightsFileException(string message) : Exception(message);
