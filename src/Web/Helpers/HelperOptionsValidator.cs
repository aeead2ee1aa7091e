using Microsoft.Extensions.Options;

namespace WebTrainer.Web.Helpers;

/// <summary>Finds the Worker when <see cref="HelperOptions.WorkerPath"/> is unset, and refuses to start without one.</summary>
internal sealed class HelperOptionsValidator : IPostConfigureOptions<HelperOptions>, IValidateOptions<HelperOptions>
{
    public const string WorkerDll = "WebTrainer.Worker.dll";

    public void PostConfigure(string? name, HelperOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.WorkerPath))
        {
            options.WorkerPath = Candidates().FirstOrDefault(File.Exists);
        }
    }

    public ValidateOptionsResult Validate(string? name, HelperOptions options)
    {
        if (options.Count < 1 || options.MaxQueue < 0 || options.MemoryLimitMb < 64
            || options.RequestTimeout <= TimeSpan.Zero || options.PreviewTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Helpers: Count must be at least 1, MaxQueue at least 0, MemoryLimitMb at least 64, timeouts positive");
        }
        if (options.WorkerPath is null || !File.Exists(options.WorkerPath))
        {
            return ValidateOptionsResult.Fail(
                $"Helpers:WorkerPath: the Worker that runs the helper processes was not found ({options.WorkerPath ?? string.Join(", ", Candidates())}); " +
                $"build src/Worker or set Helpers__WorkerPath to its {WorkerDll}");
        }
        return ValidateOptionsResult.Success;
    }

    /// <summary>Beside the Web (the Docker image's <c>worker/</c>), then the repository's src/Worker build output of the same configuration.</summary>
    private static IEnumerable<string> Candidates()
    {
        var self = new DirectoryInfo(AppContext.BaseDirectory);
        yield return Path.Combine(self.FullName, "worker", WorkerDll);
        // src/Web/bin/<configuration>/<tfm>/ → src/Worker/bin/<configuration>/<tfm>/
        if (self.Parent?.Parent?.Parent?.Parent is { } src && self.Parent.Parent.Name == "bin")
        {
            yield return Path.Combine(src.FullName, "Worker", "bin", self.Parent.Name, self.Name, WorkerDll);
        }
    }
}
