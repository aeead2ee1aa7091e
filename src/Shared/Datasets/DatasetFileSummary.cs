namespace WebTrainer.Shared.Datasets;

/// <summary>What an HDF5 file holds, as the submit form and the API show it before a job is queued.</summary>
public sealed record DatasetFileSummary
{
    public string File { get; init; } = "";
    public long SizeBytes { get; init; }
    public IReadOnlyList<DatasetSummary> Datasets { get; init; } = [];

    /// <summary>Image/label pairs recognised by name and count (train_img/train_labels, valid_*, val_*, test_*...).</summary>
    public IReadOnlyList<SuggestedSplit> SuggestedSplits { get; init; } = [];

    /// <summary>The file's <c>class_names</c> attribute, when it has one.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Problems found while inspecting; the file may still be partly usable.</summary>
    public IReadOnlyList<DatasetProblem> Problems { get; init; } = [];
}
