namespace WebTrainer.Shared.Files;

/// <summary>A user-given file name that does not resolve to a file inside the data roots.</summary>
public sealed class DataPathException(string path, string problem) : Exception($"'{Shown(path)}': {problem}")
{
    /// <summary>A hostile name can be megabytes long: the answer echoes only its start.</summary>
    private static string Shown(string path) => path.Length <= 120 ? path : path[..120] + "…";

    public string Problem { get; } = problem;
}
