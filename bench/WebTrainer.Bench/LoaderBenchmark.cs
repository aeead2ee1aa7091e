using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Bench;

/// <summary>
/// Measures one file: its raw sequential read rate, naive per-row baselines, and the loader in every
/// sampling mode, with and without augmentation, for each reader count, with float32 batches decoded
/// on the CPU and, without augmentation, with uint8 batches as stored — every configuration in a child
/// process of its own — then prints one table and the ratios against the targets.
/// </summary>
internal static class LoaderBenchmark
{
    public static int Run(BenchArgs args)
    {
        var file = Path.GetFullPath(args.Text("file"));
        var readerCounts = args.Text("readers", "1,2,4").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var common = new List<string> { "--file", file, "--images", args.Text("images", "train_img"), "--labels", args.Text("labels", "train_labels"),
            "--seconds", args.Text("seconds", "8"), "--max-mb", args.Text("max-mb", "2048"), "--cache", args.Text("cache", "cold"),
            "--batch", args.Text("batch", "64"), "--budget-mb", args.Text("budget-mb", "256") };

        var runs = new List<string[]>
        {
            new[] { "--kind", "idle" },
            new[] { "--kind", "raw", "--streams", "1" },
            new[] { "--kind", "raw", "--streams", "4" },
            new[] { "--kind", "naive-raw" },
        };
        var filters = WebTrainer.Worker.Data.Hdf5.ImageDataset.Open(file, args.Text("images", "train_img")).Storage?.Filters ?? [];
        if (filters.All(WebTrainer.Worker.Data.Hdf5.FilterSupport.PureHdfDecodes))
        {
            runs.Insert(3, ["--kind", "naive-purehdf"]);
        }
        foreach (var mode in new[] { SamplingModes.Sequential, SamplingModes.Random, SamplingModes.Chunked })
        {
            // uint8 batches skip the CPU, so they exist only without augmentation.
            foreach (var (batches, augment) in new[] { ("float", "0"), ("float", "1"), ("uint8", "0") })
            {
                foreach (var readers in readerCounts)
                {
                    runs.Add(["--kind", "loader", "--mode", mode, "--augment", augment, "--batches", batches,
                        "--readers", readers.ToString(CultureInfo.InvariantCulture)]);
                }
            }
        }

        // The machine is shared and noisy: every configuration runs 'repeat' times, interleaved
        // round by round so that a busy minute hits all configurations alike; the median counts.
        int repeat = (int)args.Number("repeat", 3);
        var samples = runs.Select(_ => new List<BenchResult>()).ToList();
        for (int round = 0; round < repeat; round++)
        {
            for (int i = 0; i < runs.Count; i++)
            {
                Console.Error.Write($"\rround {round + 1}/{repeat}, {i + 1}/{runs.Count}: {string.Join(' ', runs[i])}            ");
                samples[i].Add(RunChild([.. common, .. runs[i]]));
            }
        }
        var results = samples.Select(Median).ToList();
        Console.Error.WriteLine();
        ResultTable.Print(file, args, results);
        return 0;
    }

    public static BenchResult Median(List<BenchResult> runs)
    {
        var ordered = runs.OrderBy(r => r.MegabytesPerSecond).ToList();
        return ordered[ordered.Count / 2] with { PeakRssMegabytes = runs.Max(r => r.PeakRssMegabytes), Repeats = runs.Count };
    }

    public static BenchResult RunChild(IReadOnlyList<string> arguments)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LoaderBenchmark).Assembly.Location);
        }
        start.ArgumentList.Add("child");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ChildRun.Marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"child {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {output}");
        return JsonSerializer.Deserialize<BenchResult>(line[ChildRun.Marker.Length..])!;
    }
}
