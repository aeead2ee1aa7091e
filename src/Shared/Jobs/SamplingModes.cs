namespace WebTrainer.Shared.Jobs;

public static class SamplingModes
{
    /// <summary>Random where the storage allows it, chunk-aware where chunks span many images; chosen per file when the run starts.</summary>
    public const string Auto = "auto";
    public const string Random = "random";
    public const string Chunked = "chunked";
    public const string Sequential = "sequential";

    public static readonly IReadOnlyList<string> All = [Auto, Random, Chunked, Sequential];
}
