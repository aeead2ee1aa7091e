namespace WebTrainer.Testing;

/// <summary>Where things are in the repository and in the build output the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the tests were built in, used for the processes they start.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string WorkerDll => Output("src/Worker", "WebTrainer.Worker.dll");

    public static string WebDll => Output("src/Web", "WebTrainer.Web.dll");

    public static string WebContentRoot => Path.Combine(Root, "src/Web");

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    private static string Output(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built; build the solution first", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebTrainer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"WebTrainer.sln not found above {AppContext.BaseDirectory}");
    }
}
