namespace WebTrainer.Shared.Helpers;

/// <summary>A job spec's dataset checked against the file: why it cannot run, else the read-cost advice.</summary>
public sealed record DatasetValidation(string? Problem, IReadOnlyList<string> Warnings);
