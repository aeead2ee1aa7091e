namespace WebTrainer.Shared.Datasets;

/// <summary>Storage an optimised file's image datasets get.</summary>
public static class OptimizeLayouts
{
    /// <summary>One contiguous block per dataset: rows are read with one positioned read each.</summary>
    public const string Contiguous = "contiguous";

    /// <summary>One image per chunk, optionally deflated.</summary>
    public const string Chunked = "chunked";

    public static readonly IReadOnlyList<string> All = [Contiguous, Chunked];
}
