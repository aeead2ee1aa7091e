using System.Globalization;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Training;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>train</c>: images/s and data stall % of the real pipeline + training step, CPU. The
/// configurations run side by side in one process, in alternating rounds after a warm-up, and are
/// compared by the median step, because on 2 shared cores one run's throughput varies a lot. The
/// small CNN and ResNet-18 run twice: with float32 batches decoded on the CPU by the readers, and
/// with uint8 batches that the training step converts (so that cost moves from the stall into the
/// step); ResNet-50 (smaller batches, to stay quick) with uint8 batches. With <c>--workaround on,off</c>
/// every configuration runs once per value, each in a child process of its own
/// (<see cref="IsolatedTrainingBenchmark"/>), since without the workaround some CPUs crash.
/// </summary>
internal static class TrainingBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        int threads = options.Int("threads", 2);
        int warmup = options.Int("warmup", 5), steps = options.Int("steps", 10), rounds = options.Int("rounds", 3);
        var configs = await ConfigurationsAsync(options, cancellationToken);
        if (options.Text("workaround") is { } workarounds)
        {
            return IsolatedTrainingBenchmark.Run(args, configs, workarounds.Split(','), cancellationToken);
        }
        TorchRuntime.Configure(threads);
        var runs = configs.Select(c => c.Open()).ToList();
        try
        {
            foreach (var run in runs)
            {
                for (int i = 0; i < warmup; i++)
                {
                    await run.StepAsync(cancellationToken);
                }
            }
            for (int round = 0; round < rounds; round++)
            {
                foreach (var run in runs)
                {
                    for (int i = 0; i < steps; i++)
                    {
                        run.Measured.Add(await run.StepAsync(cancellationToken));
                    }
                }
            }
            PrintHeader(threads, warmup, steps, rounds, "in one process");
            Console.WriteLine($"oneDNN workaround: {OneDnnWorkaround.Current.Summary}");
            Console.WriteLine(Columns("configuration", "batches"));
            foreach (var run in runs)
            {
                Console.WriteLine(Row(run.Label, run.Batches, run.BatchSize, run.Measured));
            }
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync();
            }
        }
        return 0;
    }

    /// <summary>
    /// The table's rows, in order; <c>--models</c> and <c>--batches</c> (comma lists) keep only some.
    /// A child process of the isolated mode rebuilds the same list and takes its row by index.
    /// </summary>
    public static async Task<List<BenchConfig>> ConfigurationsAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        int batch = options.Int("batch", 128);
        var models = options.Text("models", "small_cnn,resnet18,resnet50").Split(',');
        var kinds = options.Text("batches", "float32,uint8").Split(',');
        var training = new TrainingSpec { BatchSize = batch, Optimizer = Optimizers.Sgd, LearningRate = 0.01, Momentum = 0.9, Device = "cpu" };
        var small = training with { BatchSize = options.Int("resnet50-batch", 32) };
        var floats = new TrainerSettings { Device = "cpu", Readers = options.Int("readers", 2), StoredBatches = false };
        var bytes = floats with { StoredBatches = true };

        var configs = new List<BenchConfig>();
        if (models.Contains(Architectures.SmallCnn))
        {
            var fashion = await BenchData.FashionMnistAsync(options.Text("fashion"), cancellationToken);
            configs.Add(new("small_cnn  Fashion-MNIST 1x28x28", BenchData.Spec(fashion, Architectures.SmallCnn, training), floats));
            configs.Add(new("small_cnn  Fashion-MNIST 1x28x28", BenchData.Spec(fashion, Architectures.SmallCnn, training), bytes));
        }
        if (models.Contains(Architectures.ResNet18) || models.Contains(Architectures.ResNet50))
        {
            var synthetic = await BenchData.SyntheticAsync(count: 4000, size: 64, channels: 3, classes: 10, cancellationToken);
            if (models.Contains(Architectures.ResNet18))
            {
                configs.Add(new("resnet18   synthetic 3x64x64", BenchData.Spec(synthetic, Architectures.ResNet18, training), floats));
                configs.Add(new("resnet18   synthetic 3x64x64", BenchData.Spec(synthetic, Architectures.ResNet18, training), bytes));
            }
            if (models.Contains(Architectures.ResNet50))
            {
                configs.Add(new("resnet50   synthetic 3x64x64", BenchData.Spec(synthetic, Architectures.ResNet50, small), bytes));
            }
        }
        return configs.Where(c => kinds.Contains(c.Settings.StoredBatches ? "uint8" : "float32")).ToList();
    }

    public static void PrintHeader(int threads, int warmup, int steps, int rounds, string where)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training step, CPU ({ProcessProbe.CpuModel()}), {threads} threads: " +
            $"{warmup} warm-up steps, then {rounds} alternating rounds of {steps} measured steps, {where}"));
        Console.WriteLine("batches: float32 = decoded to float on the CPU by the reader threads; uint8 = as stored, converted to float " +
            "(N,C,H,W, rescale, normalise) inside the measured training step");
    }

    public static string Columns(string first, string second) =>
        $"{first,-36} {second,20} {"batch",5} {"img/s median",12} {"img/s p10-p90",15} {"step ms median",15} {"stall %",8}";

    public static string Row(string label, string second, int batch, IReadOnlyList<(double WaitMs, double TotalMs)> measured)
    {
        var rates = measured.Select(m => batch / (m.TotalMs / 1000)).Order().ToList();
        double stall = 100 * measured.Sum(m => m.WaitMs) / measured.Sum(m => m.TotalMs);
        return string.Create(CultureInfo.InvariantCulture,
            $"{label,-36} {second,20} {batch,5} {Percentile(rates, 0.5),12:F0} {$"{Percentile(rates, 0.1):F0}-{Percentile(rates, 0.9):F0}",15} " +
            $"{Percentile(measured.Select(m => m.TotalMs).Order().ToList(), 0.5),15:F1} {stall,8:F1}");
    }

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Round(q * (sorted.Count - 1))];
}
