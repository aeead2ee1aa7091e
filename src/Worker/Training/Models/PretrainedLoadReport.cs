namespace WebTrainer.Worker.Training.Models;

/// <summary>What loading pretrained weights did: tensors taken, skipped for a different shape (a new head), absent from the file, or unused.</summary>
internal sealed record PretrainedLoadReport(int Loaded, IReadOnlyList<string> Skipped, IReadOnlyList<string> Missing, IReadOnlyList<string> Unused);
