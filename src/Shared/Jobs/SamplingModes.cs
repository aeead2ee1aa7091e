namespace WebTrainer.Shared.Jobs;

public static class SamplingModes
{
    public const string Random = "random";
    public const string Chunked = "chunked";
    public const string Sequential = "sequential";

    public static readonly IReadOnlyList<string> All = [Random, Chunked, Sequential];
}
