using System.Globalization;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>compare</c>: the same model, file, batch size, optimiser and epochs trained by WebTrainer (a
/// <c>fit</c> child process started with the run process's environment, checkpointing into a fresh
/// run directory, as a real run) and by the PyTorch reference script (bench/scripts/torch_reference.py),
/// interleaved A B A B. Each pair prints both sides' training images/s (training time only, validation
/// and test excluded), test accuracy and the ratio; the median ratio closes the table. <c>--variants</c>
/// adds WebTrainer runs with other environments or <c>fit</c> options to every pair, for side-by-side
/// measurements of one setting at a time.
/// </summary>
internal static class CompareCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        string arch = options.Text("arch", Architectures.SmallCnn);
        int threads = options.Int("threads", 2), pairs = options.Int("pairs", 2);
        var data = options.Text("data", "fashion-mnist");
        var file = await BenchData.ResolveAsync(data, cancellationToken);
        var common = new List<string>
        {
            "--data", file, "--arch", arch, "--epochs", $"{options.Int("epochs", 5)}", "--batch", $"{options.Int("batch", 128)}",
            "--lr", options.Text("lr", "0.001"), "--threads", $"{threads}", "--seed", $"{options.Int("seed", 42)}",
            "--max-samples", $"{options.Int("max-samples", 0)}", "--device", options.Text("device", Devices.Cpu),
        };
        var sides = new List<CompareSide> { CompareSide.WebTrainer("webtrainer", threads, common) };
        sides.AddRange(CompareSide.Variants(options.Text("variants"), threads, common));
        var python = options.Text("python", "/usr/bin/python3");
        var torch = options.Text("pytorch", "on") == "off" ? null : CompareSide.PyTorch("pytorch", python, common);
        if (torch is null || !CompareSide.HasPyTorch(python))
        {
            Console.WriteLine($"PyTorch side skipped: {(torch is null ? "--pytorch off" : $"{python} cannot import torch and h5py (Debian: apt-get install python3-torch python3-h5py python3-torchvision)")}");
            torch = null;
        }
        else
        {
            sides.Add(torch);
            if (options.Text("pytorch-passive", "off") == "on")
            {
                // The reference with the run process's OpenMP waiting, to tell what that setting alone is worth to PyTorch.
                sides.Add(CompareSide.PyTorch("pytorch-passive", python, common, new Dictionary<string, string?> { ["OMP_WAIT_POLICY"] = "PASSIVE" }));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compare {arch} on {Path.GetFileName(file)}: {string.Join(' ', common.Skip(4))}; CPU {ProcessProbe.CpuModel()}; {pairs} rounds of {string.Join(", ", sides.Select(s => s.Name))}"));
        Console.WriteLine("img/s = training images / training seconds over all epochs (validation and test excluded); spread = (fastest - slowest epoch) / median epoch; load = 1-minute load average before the run");
        var results = sides.ToDictionary(s => s.Name, _ => new List<FitResult>());
        for (int pair = 1; pair <= pairs && !cancellationToken.IsCancellationRequested; pair++)
        {
            foreach (var side in sides)
            {
                var load = LoadAverage();
                var result = await side.RunAsync(cancellationToken);
                results[side.Name].Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {pair} {side.Name,-24} {result.ImagesPerSecond,8:F0} img/s  test acc {result.TestAccuracy,7:F4}  spread {result.Spread,5:P0}  " +
                    $"epochs {string.Join(' ', result.EpochImagesPerSecond.Select(e => e.ToString("F0", CultureInfo.InvariantCulture)))}  " +
                    $"wall {result.WallSeconds,6:F1} s  load {load}{(result.Blas is { } blas ? $"  BLAS {blas}" : "")}"));
            }
            if (torch is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {pair} ratio webtrainer / pytorch: {results["webtrainer"][^1].ImagesPerSecond / results[torch.Name][^1].ImagesPerSecond:F2}"));
            }
        }
        PrintSummary(sides, results, torch?.Name);
        return 0;
    }

    private static void PrintSummary(List<CompareSide> sides, Dictionary<string, List<FitResult>> results, string? torch)
    {
        Console.WriteLine($"{"side",-24} {"img/s median",12} {"test acc",9} {"spread max",10} {"x pytorch",10} {"x webtrainer",12}");
        double baseline = Median(results["webtrainer"].Select(r => r.ImagesPerSecond));
        foreach (var side in sides)
        {
            var runs = results[side.Name];
            if (runs.Count == 0)
            {
                continue;
            }
            // Ratios pair each run with the PyTorch run of its own round, then take the median.
            string VersusTorch() => torch is null || side.Name == torch ? "" : Median(runs.Zip(results[torch], (a, b) => a.ImagesPerSecond / b.ImagesPerSecond)).ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{side.Name,-24} {Median(runs.Select(r => r.ImagesPerSecond)),12:F0} {Median(runs.Select(r => r.TestAccuracy ?? double.NaN)),9:F4} " +
                $"{runs.Max(r => r.Spread),10:P0} {VersusTorch(),10} {Median(runs.Select(r => r.ImagesPerSecond)) / baseline,12:F2}"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
