using System.Diagnostics;
using System.Text.Json;
using WebTrainer.Worker.Jobs.Runs;

namespace WebTrainer.Bench.Training;

/// <summary>
/// One column of <c>compare</c>: a child process that trains once and prints <c>RESULT {json}</c>,
/// WebTrainer's <c>fit</c> (in the run process's environment, plus a variant's changes) or the PyTorch
/// reference script.
/// </summary>
internal sealed class CompareSide(string name, string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment,
    bool runDirectory)
{
    public string Name { get; } = name;

    public static CompareSide WebTrainer(string name, int threads, IReadOnlyList<string> common, IReadOnlyList<string>? extra = null,
        IReadOnlyDictionary<string, string?>? changes = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        RunEnvironment.Apply(environment, threads);
        environment[InRunEnvironment.Marker] = "1"; // set here, variants included: fit must not apply it again
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { typeof(CompareSide).Assembly.Location } : [];
        return new(name, self, [.. prefix, "fit", .. common, .. extra ?? []], environment, runDirectory: true);
    }

    /// <summary>
    /// <c>--variants "name:KEY=VALUE,--fit-option=value;name2:..."</c>: each a WebTrainer side with those
    /// environment changes (<c>KEY=</c> removes KEY) and extra <c>fit</c> options.
    /// </summary>
    public static IEnumerable<CompareSide> Variants(string? spec, int threads, IReadOnlyList<string> common)
    {
        foreach (var variant in (spec ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, settings) = variant.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
                ? (variant[..colon], variant[(colon + 1)..]) : (variant, "");
            var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
            var extra = new List<string>();
            foreach (var setting in settings.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = setting.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new ArgumentException($"--variants: '{setting}' is not KEY=VALUE or --option=value");
                }
                var (key, value) = (setting[..equals], setting[(equals + 1)..]);
                if (key.StartsWith("--", StringComparison.Ordinal))
                {
                    extra.AddRange([key, value]);
                }
                else
                {
                    changes[key] = value.Length == 0 ? null : value;
                }
            }
            yield return WebTrainer(name, threads, common, extra, changes);
        }
    }

    /// <summary>The reference as a user runs it (this environment), or with <paramref name="environment"/>'s changes.</summary>
    public static CompareSide PyTorch(string name, string python, IReadOnlyList<string> common, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "torch_reference.py");
        return new(name, python, [script, .. common], environment ?? new Dictionary<string, string?>(), runDirectory: false);
    }

    public static bool HasPyTorch(string python)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import torch, h5py"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            probe!.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public async Task<FitResult> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // A fresh run directory: checkpoints are written as in a real run, and nothing is resumed.
        var folder = runDirectory ? Directory.CreateTempSubdirectory("webtrainer-compare-").FullName : null;
        if (folder is not null)
        {
            start.ArgumentList.Add("--run-dir");
            start.ArgumentList.Add(folder);
        }
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var line = output.Split('\n').LastOrDefault(l => l.StartsWith(FitResult.Marker, StringComparison.Ordinal));
            return line is not null
                ? JsonSerializer.Deserialize<FitResult>(line[FitResult.Marker.Length..], FitResult.Json)!
                : throw new InvalidOperationException($"{Name} printed no result (exit {process.ExitCode}): {Tail(output)} {Tail(await error)}");
        }
        finally
        {
            if (folder is not null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string Tail(string text) => text.Length > 2000 ? text[^2000..] : text;
}
