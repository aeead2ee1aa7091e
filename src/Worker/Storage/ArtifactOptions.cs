namespace WebTrainer.Worker.Storage;

/// <summary>Where Workers write checkpoints and trained models, and where the Web reads them for download.</summary>
public sealed class ArtifactOptions
{
    public const string SectionName = "Artifacts";

    public string Root { get; set; } = Path.Combine(Environment.CurrentDirectory, ".data", "artifacts");

    /// <summary>The folder of one job's checkpoints and model.</summary>
    public string JobFolder(long jobId) => Path.Combine(Root, "jobs", jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
