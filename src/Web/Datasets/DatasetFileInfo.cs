namespace WebTrainer.Web.Datasets;

/// <summary>An HDF5 file under a data root, as the datasets list shows it.</summary>
internal sealed record DatasetFileInfo(string File, int Root, long SizeBytes, DateTimeOffset ModifiedAt)
{
    /// <summary>Who uploaded it (email), or "admins" for a file put into the data root by an operator.</summary>
    public string Owner { get; init; } = "admins";
}
