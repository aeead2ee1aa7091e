namespace WebTrainer.Web.Datasets;

/// <summary>An HDF5 file under a data root, as the datasets list shows it.</summary>
internal sealed record DatasetFileInfo(string File, int Root, long SizeBytes, DateTimeOffset ModifiedAt);
