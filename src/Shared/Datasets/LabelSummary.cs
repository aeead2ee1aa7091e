namespace WebTrainer.Shared.Datasets;

/// <summary>What a label dataset holds and whether it passes the checks training needs.</summary>
public sealed record LabelSummary
{
    /// <summary><c>integer</c> or <c>one-hot</c>.</summary>
    public string Encoding { get; init; } = "";
    public long Count { get; init; }
    public int ClassCount { get; init; }

    /// <summary>Samples per class index; empty when the labels failed their checks.</summary>
    public IReadOnlyList<long> CountsPerClass { get; init; } = [];

    /// <summary>The label dataset's (or else the file's) <c>class_names</c> attribute.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Why the labels cannot be used (one-hot rows not summing to 1, integers outside [0,K)), or null.</summary>
    public string? Problem { get; init; }
}
