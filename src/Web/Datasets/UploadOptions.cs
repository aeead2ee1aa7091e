namespace WebTrainer.Web.Datasets;

/// <summary>Dataset uploads through the API and the dashboard.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    /// <summary>Largest file accepted; bigger uploads are refused with 413 and nothing is kept.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    /// <summary>Which data root (index into DataRoots) uploads go to.</summary>
    public int Root { get; set; }
}
