using System.Diagnostics;
using System.Text.Json;
using WebTrainer.Worker.Training;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>train --workaround on,off</c>: every configuration once per value of
/// <see cref="OneDnnWorkaround.EnvironmentVariable"/>, each run in a child process of its own
/// (<c>train-one</c>), because the workaround is decided per process and, without it, ResNet-50
/// dies of SIGFPE on CPUs that hide their caches. A configuration whose process dies shows how
/// and is not run again. Rounds interleave the children, so a busy minute of the shared machine
/// hits them alike; the median counts over all of a configuration's measured steps.
/// </summary>
internal static class IsolatedTrainingBenchmark
{
    public const string Command = "train-one";
    private const string Marker = "RESULT ";

    public static int Run(string[] args, List<BenchConfig> configs, string[] workarounds, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        int threads = options.Int("threads", 2);
        int warmup = options.Int("warmup", 5), steps = options.Int("steps", 10), rounds = options.Int("rounds", 3);
        var cells = configs.SelectMany((config, index) => workarounds.Select(w => new Cell(index, config, w))).ToList();
        for (int round = 0; round < rounds && !cancellationToken.IsCancellationRequested; round++)
        {
            foreach (var cell in cells.Where(c => c.Death is null))
            {
                Console.Error.Write($"\rround {round + 1}/{rounds}: {cell.Config.Label.Trim()}, workaround {cell.Workaround}            ");
                RunChild(args, cell);
            }
        }
        Console.Error.WriteLine();
        TrainingBenchmark.PrintHeader(threads, warmup, steps, rounds, "each configuration in a child process of its own per round");
        Console.WriteLine($"oneDNN workaround: {OneDnnWorkaround.EnvironmentVariable} set per child ('auto' would be {OneDnnWorkaround.Current.Summary})");
        Console.WriteLine(TrainingBenchmark.Columns("configuration", "batches, workaround"));
        foreach (var cell in cells)
        {
            var second = $"{(cell.Config.Settings.StoredBatches ? "uint8" : "float32")}, {cell.Workaround}";
            int size = cell.Config.Spec.Training.BatchSize;
            Console.WriteLine(cell.Measured.Count > 0
                ? TrainingBenchmark.Row(cell.Config.Label, second, size, cell.Measured) + (cell.Death is null ? "" : $"  then {cell.Death}")
                : $"{cell.Config.Label,-36} {second,20} {size,5} {cell.Death,12}");
        }
        return 0;
    }

    /// <summary>The child: one configuration, warm-up then measured steps, printed as one JSON line.</summary>
    public static async Task<int> RunOneAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        TorchRuntime.Configure(options.Int("threads", 2));
        var configs = await TrainingBenchmark.ConfigurationsAsync(options, cancellationToken);
        await using var run = configs[options.Int("config", 0)].Open();
        for (int i = 0; i < options.Int("warmup", 5); i++)
        {
            await run.StepAsync(cancellationToken);
        }
        for (int i = 0; i < options.Int("steps", 10); i++)
        {
            run.Measured.Add(await run.StepAsync(cancellationToken));
        }
        Console.WriteLine(Marker + JsonSerializer.Serialize(run.Measured.Select(m => new[] { m.WaitMs, m.TotalMs })));
        return 0;
    }

    private static void RunChild(string[] args, Cell cell)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(IsolatedTrainingBenchmark).Assembly.Location);
        }
        start.ArgumentList.Add(Command);
        foreach (var argument in args.Concat(["--config", $"{cell.Index}"]))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[OneDnnWorkaround.EnvironmentVariable] = cell.Workaround;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (line is not null)
        {
            cell.Measured.AddRange(JsonSerializer.Deserialize<double[][]>(line[Marker.Length..])!.Select(m => (m[0], m[1])));
            return;
        }
        // .NET reports a child killed by signal N as exit code 128 + N, like a shell.
        cell.Death = process.ExitCode > 128 ? $"crashed ({SignalName(process.ExitCode - 128)})"
            : throw new InvalidOperationException($"train-one {cell.Index} failed (exit {process.ExitCode}): {error.Result}");
    }

    private static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        _ => $"signal {signal}",
    };

    private sealed class Cell(int index, BenchConfig config, string workaround)
    {
        public int Index { get; } = index;
        public BenchConfig Config { get; } = config;
        public string Workaround { get; } = workaround;
        public List<(double WaitMs, double TotalMs)> Measured { get; } = [];
        public string? Death { get; set; }
    }
}
