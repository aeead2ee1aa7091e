namespace WebTrainer.Shared.Storage;

/// <summary>Where Workers write checkpoints and trained models, and where the Web reads them for download.</summary>
public sealed class ArtifactOptions
{
    public const string SectionName = "Artifacts";

    public string Root { get; set; } = Path.Combine(Environment.CurrentDirectory, ".data", "artifacts");

    /// <summary>
    /// The folder of one job's checkpoints and model: its id for people, and part of its run key so
    /// that a job of a reset database never resumes from another job's checkpoint.
    /// </summary>
    public string JobFolder(long jobId, Guid runKey) =>
        Path.Combine(Root, "jobs", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{jobId}-{runKey.ToString("N")[..8]}"));
}
