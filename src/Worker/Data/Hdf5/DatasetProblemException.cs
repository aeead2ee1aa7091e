namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>A dataset file that cannot be used as asked, with the file, the dataset and the problem named.</summary>
public sealed class DatasetProblemException : Exception
{
    public DatasetProblemException(string file, string? dataset, string problem, Exception? inner = null)
        : base(Format(file, dataset, problem), inner)
    {
        File = file;
        Dataset = dataset;
        Problem = problem;
    }

    public string File { get; }
    public string? Dataset { get; }
    public string Problem { get; }

    private static string Format(string file, string? dataset, string problem) =>
        dataset is null ? $"{Path.GetFileName(file)}: {problem}" : $"{Path.GetFileName(file)}, dataset '{dataset}': {problem}";
}
