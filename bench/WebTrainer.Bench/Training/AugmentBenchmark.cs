using System.Diagnostics;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using static TorchSharp.torch;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>augment [--data FILE] [--size 32] [--count 8192] [--batch 128] [--batches 40] [--rounds 5] [--warmup 1] [--readers 2] [--threads 2]
/// [--configs cpu,kernels,tensor,none]</c> (in the run process's environment, <see cref="InRunEnvironment"/>):
/// the train split's loader with the same augmentation (rotation, zoom, shear, shifts, flip, brightness,
/// contrast) done by the CPU augmenter on the reader threads, and by the device augmenter on the consumer's thread,
/// both ways it can run there: as on a CPU Worker (<c>augmentation.device = "device"</c>: the CPU augmenter's
/// per-image kernels over the stored uint8 batch, on libtorch's threads) and as the batched tensor ops a GPU runs
/// (<c>grid_sample</c> over the batch), next to the unaugmented uint8 loader. Each configuration reads <c>--batches</c> batches into model input
/// per round, the configurations interleaved A B C A B C, after <c>--warmup</c> unmeasured rounds (JIT, page
/// cache), and the median img/s per configuration is printed. <c>--configs</c> measures only those named (say <c>cpu</c> alone
/// under a profiler); the ratios need the configurations they divide.
/// </summary>
internal static class AugmentBenchmark
{
    internal static readonly AugmentationSpec Augmentation = new()
    {
        RotationRange = 15, ZoomRange = 0.1, ShearRange = 5, WidthShiftRange = 0.1, HeightShiftRange = 0.1,
        HorizontalFlip = true, BrightnessRange = 0.2, ContrastRange = 0.2,
    };

    private static readonly string[] Keys = ["cpu", "kernels", "tensor", "none"];

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        int threads = options.Int("threads", 2), batch = options.Int("batch", 128), batches = options.Int("batches", 40);
        int rounds = options.Int("rounds", 5), warmup = options.Int("warmup", 1), readers = options.Int("readers", 2);
        var keys = options.Text("configs", string.Join(',', Keys)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = keys.Where(k => !Keys.Contains(k)).ToList();
        if (unknown.Count > 0 || keys.Length == 0)
        {
            Console.Error.WriteLine($"--configs: {(keys.Length == 0 ? "none given" : $"unknown {string.Join(", ", unknown)}")}; " +
                $"choose from {string.Join(", ", Keys)}");
            return 2;
        }
        TorchRuntime.Configure(threads);
        var file = options.Text("data") ?? await BenchData.SyntheticAsync(options.Int("count", 8192), options.Int("size", 32), 3, 10, cancellationToken);
        var spec = BenchData.Spec(file, Architectures.SmallCnn, new TrainingSpec { BatchSize = batch, Seed = 3 });
        var data = TrainingData.Open(file, spec.Dataset);
        var settings = new TrainerSettings { Device = "cpu", Readers = readers };
        var all = new (string Key, string Name, Func<DataLoader> Loader)[]
        {
            ("cpu", "cpu augmenter (float32 batches)",
                () => new SplitLoaders(spec with { Augmentation = Augmentation with { Device = AugmentationDevices.Cpu } }, data, settings).Train),
            ("kernels", "device augmenter on CPU (uint8 batches, per-image kernels)",
                () => new SplitLoaders(spec with { Augmentation = Augmentation with { Device = AugmentationDevices.Device } }, data, settings).Train),
            ("tensor", "device augmenter as tensor ops (uint8 batches, grid_sample as on a GPU)",
                () => new SplitLoaders(spec with { Augmentation = Augmentation with { Device = AugmentationDevices.Device } }, data,
                    settings with { DeviceAugmentationTensorOps = true }).Train),
            ("none", "no augmentation (uint8 batches)", () => new SplitLoaders(spec, data, settings).Train),
        };
        var configs = all.Where(c => keys.Contains(c.Key)).Select(c => (c.Key, c.Name, Loader: c.Loader())).ToArray();
        Console.WriteLine($"augment: {file}, {data.Channels}x{data.Height}x{data.Width}, batch {batch}, {batches} batches per measurement, " +
            $"{readers} readers, {threads} threads, {rounds} rounds interleaved after {warmup} warm-up");
        Console.WriteLine($"environment: OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"} " +
            $"GLIBC_TUNABLES={Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "(unset)"}");
        var rates = configs.Select(_ => new List<double>()).ToArray();
        for (int round = 1; round <= warmup + rounds; round++)
        {
            for (int c = 0; c < configs.Length; c++)
            {
                double rate = await MeasureAsync(configs[c].Loader, round, batches, cancellationToken);
                if (round > warmup)
                {
                    rates[c].Add(rate);
                }
            }
        }
        Console.WriteLine("| loader | img/s (median) | rounds |");
        Console.WriteLine("|---|---:|---|");
        for (int c = 0; c < configs.Length; c++)
        {
            Console.WriteLine($"| {configs[c].Name} | {Median(rates[c]):F0} | {string.Join(", ", rates[c].Select(r => r.ToString("F0")))} |");
        }
        var byKey = configs.Select((c, i) => (c.Key, Rates: rates[i])).ToDictionary(c => c.Key, c => c.Rates);
        (string Name, string Over, string Under)[] ratios =
            [("device (kernels) / cpu augmenter", "kernels", "cpu"), ("device (tensor ops) / cpu augmenter", "tensor", "cpu"),
             ("cpu augmenter / no augmentation", "cpu", "none")];
        foreach (var (name, over, under) in ratios.Where(r => byKey.ContainsKey(r.Over) && byKey.ContainsKey(r.Under)))
        {
            var a = byKey[over];
            var b = byKey[under];
            Console.WriteLine($"{name}: {Median(a) / Median(b):F2} (per round, in measuring order: " +
                $"{string.Join(", ", a.Zip(b, (x, y) => (x / y).ToString("F2")))})");
        }
        return 0;
    }

    /// <summary>
    /// Images per second from the first batch asked for until <paramref name="batches"/> batches are model input,
    /// going on into further epochs where one epoch of the train split has fewer batches (a small file).
    /// </summary>
    private static async Task<double> MeasureAsync(DataLoader loader, int round, int batches, CancellationToken cancellationToken)
    {
        long images = 0;
        int done = 0;
        var start = Stopwatch.GetTimestamp();
        for (int epoch = round * 1000; done < batches; epoch++)
        {
            await foreach (var item in loader.ReadEpochAsync(epoch, 0, cancellationToken))
            {
                using (item)
                using (var scope = NewDisposeScope())
                {
                    // What the step does first: the CPU augmenter's batch goes as it is, the device one is augmented here.
                    var input = item.ToModelInput(CPU);
                    images += input.shape[0];
                }
                if (++done == batches)
                {
                    break;
                }
            }
        }
        return images / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
