namespace WebTrainer.Shared.Files;

/// <summary>A user-given file name that does not resolve to a file inside the data roots.</summary>
public sealed class DataPathException(string path, string problem) : Exception($"'{path}': {problem}")
{
    public string Problem { get; } = problem;
}
