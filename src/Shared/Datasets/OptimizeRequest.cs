namespace WebTrainer.Shared.Datasets;

/// <summary>The body of <c>POST /api/datasets/optimize</c>: which file to rewrite, where to, and how.</summary>
public sealed record OptimizeRequest
{
    /// <summary>The input, relative to a data root, as the other dataset endpoints take it.</summary>
    public string File { get; init; } = "";

    /// <summary>The new file's name in the upload root; default <c>&lt;name&gt;.optimized.h5</c> next to the input.</summary>
    public string? Output { get; init; }

    /// <summary><see cref="OptimizeLayouts.Contiguous"/> (default) or <see cref="OptimizeLayouts.Chunked"/>.</summary>
    public string Layout { get; init; } = OptimizeLayouts.Contiguous;

    /// <summary>Deflate level 0..9 for chunked image datasets; null stores them uncompressed.</summary>
    public int? DeflateLevel { get; init; }
}
