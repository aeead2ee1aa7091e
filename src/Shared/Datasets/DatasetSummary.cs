namespace WebTrainer.Shared.Datasets;

/// <summary>One dataset of a file: where and how it is stored, and what it looks like to training.</summary>
public sealed record DatasetSummary
{
    public string Path { get; init; } = "";
    public IReadOnlyList<long> Shape { get; init; } = [];

    /// <summary>numpy-style element type: <c>uint8</c>, <c>float32</c>, <c>int64</c>, <c>string</c>...</summary>
    public string DType { get; init; } = "";

    /// <summary><c>contiguous</c>, <c>chunked</c>, <c>compact</c> or <c>virtual</c>.</summary>
    public string Layout { get; init; } = "";
    public IReadOnlyList<long>? ChunkShape { get; init; }
    public IReadOnlyList<string> Filters { get; init; } = [];

    /// <summary>One of <see cref="DatasetRoles"/>.</summary>
    public string Role { get; init; } = DatasetRoles.Other;
    public ImageSummary? Images { get; init; }
    public LabelSummary? Labels { get; init; }
}
