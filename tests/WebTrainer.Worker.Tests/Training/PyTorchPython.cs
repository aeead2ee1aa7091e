using System.Diagnostics;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>
/// Debian's PyTorch (<c>python3-torch</c>, <c>python3-torchvision</c>) run as <c>/usr/bin/python3</c>
/// on Fixtures/pytorch_models.py. Tests that need it are <see cref="PyTorchFactAttribute"/>s, reported
/// as skipped with the reason where it is not installed (.ci/run installs it).
/// </summary>
internal static class PyTorchPython
{
    /// <summary>Debian's python3; <c>WEBTRAINER_PYTHON</c> names another (one whose packages include torch and torchvision).</summary>
    public static readonly string Python = Environment.GetEnvironmentVariable("WEBTRAINER_PYTHON") is { Length: > 0 } python ? python : "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Why the PyTorch tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Missing.Value;

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Training", "Fixtures", name);

    /// <summary>Runs pytorch_models.py with the arguments; fails the test with its output when it fails.</summary>
    public static void Models(params string[] arguments)
    {
        var (code, output) = Run([Fixture("pytorch_models.py"), .. arguments], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"pytorch_models.py {string.Join(" ", arguments)} exited {code}:\n{output}");
    }

    private static string? FindMissing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed (apt-get install python3-torch python3-torchvision)";
        }
        var (code, output) = Run(["-c", "import numpy, torch, torchvision"], TimeSpan.FromMinutes(1));
        return code == 0 ? null : $"Debian's PyTorch is not installed (apt-get install python3-torch python3-torchvision): {output.Trim()}";
    }

    private static (int Code, string Output) Run(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Debian's python must not pick up a virtualenv's or pyenv's packages from the environment.
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        start.Environment["OMP_NUM_THREADS"] = "2";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that needs Debian's PyTorch; skipped, with the reason, where it is missing.</summary>
internal sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        Skip = PyTorchPython.SkipReason;
    }
}

/// <summary>A theory that needs Debian's PyTorch; skipped, with the reason, where it is missing.</summary>
internal sealed class PyTorchTheoryAttribute : TheoryAttribute
{
    public PyTorchTheoryAttribute()
    {
        Skip = PyTorchPython.SkipReason;
    }
}
