namespace WebTrainer.Shared.Files;

/// <summary>Folders that dataset files, weights and uploads live in. Users name files relative to these.</summary>
public sealed class DataRootOptions
{
    /// <summary>Configuration key of the list: <c>DataRoots__0=/srv/datasets</c>, <c>DataRoots__1=...</c>.</summary>
    public const string SectionName = "DataRoots";

    public IReadOnlyList<string> Roots { get; set; } = [];
}
