namespace WebTrainer.Web.Datasets;

/// <summary>Dataset uploads through the API and the dashboard.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    /// <summary>Largest file accepted; bigger uploads are refused with 413 and nothing is kept.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    /// <summary>Which data root (index into DataRoots) uploads go to.</summary>
    public int Root { get; set; }

    /// <summary>Bytes of uploaded files a member may keep in the data roots (replacing one of theirs frees its bytes); 0 or less: no limit.</summary>
    public long QuotaBytesPerUser { get; set; } = 50L * 1024 * 1024 * 1024;

    /// <summary>Whether admins upload without the per-member quota.</summary>
    public bool QuotaExemptsAdmins { get; set; } = true;

    /// <summary>A <c>.partial</c> upload file not written for this long, and not being written by this Web, is deleted.</summary>
    public TimeSpan PartialMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the data roots are searched for stale <c>.partial</c> uploads (also once at start).</summary>
    public TimeSpan PartialSweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
