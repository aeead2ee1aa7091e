using System.Diagnostics;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Optimizing;
using WebTrainer.Worker.Training;

namespace WebTrainer.Bench;

/// <summary>
/// Rewrites a file with the optimise job's own code (<see cref="FileOptimizer"/>), outside a job, so
/// that `layouts` can compare a file with its optimised copy.
/// </summary>
internal static class OptimizeCommand
{
    public static int Run(BenchArgs args)
    {
        var input = Path.GetFullPath(args.Text("in"));
        var output = Path.GetFullPath(args.Text("out"));
        var layout = args.Text("layout", "contiguous");
        int? deflate = args.Has("deflate") ? (int)args.Number("deflate", 4) : null;
        var watch = Stopwatch.StartNew();
        new FileOptimizer(64L * 1024 * 1024, new ConsoleSink(), new RunPosition()).Run(0, input, output, layout, deflate, CancellationToken.None);
        Console.Error.WriteLine();
        Console.WriteLine($"optimised {Path.GetFileName(input)} into {output} ({layout}{(deflate is { } d ? $", deflate {d}" : "")}), " +
            $"{new FileInfo(output).Length / 1e9:F2} GB in {watch.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    private sealed class ConsoleSink : IProgressSink
    {
        public void Batch(BatchProgress progress) => Console.Error.Write($"\r{progress.Batch}/{progress.BatchesPerEpoch} ");

        public void Epoch(EpochMetrics metrics)
        {
        }

        public void Event(string level, string message) => Console.Error.WriteLine($"{level}: {message}");
    }
}
