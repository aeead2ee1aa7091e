namespace WebTrainer.Shared.Datasets;

/// <summary>Something wrong with a file or one of its datasets (<see cref="Dataset"/> null: the file itself).</summary>
public sealed record DatasetProblem(string File, string? Dataset, string Problem);
