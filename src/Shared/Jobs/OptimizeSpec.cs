namespace WebTrainer.Shared.Jobs;

/// <summary>What an optimise job does, as stored with the job: input and output resolved and checked at submission.</summary>
public sealed record OptimizeSpec
{
    /// <summary>The input file, relative to a data root.</summary>
    public required string Input { get; init; }

    /// <summary>The output file, relative to data root <see cref="OutputRoot"/>.</summary>
    public required string Output { get; init; }

    public int OutputRoot { get; init; }

    public required string Layout { get; init; }

    public int? DeflateLevel { get; init; }
}
