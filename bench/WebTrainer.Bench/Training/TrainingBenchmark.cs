using System.Globalization;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Training;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>train</c>: images/s and data stall % of the real pipeline + training step, CPU. The
/// configurations run side by side in one process, in alternating rounds after a warm-up, and are
/// compared by the median step, because on 2 shared cores one run's throughput varies a lot. Each
/// model runs twice: with float32 batches decoded on the CPU by the readers, and with uint8 batches
/// that the training step converts (so that cost moves from the stall into the step).
/// </summary>
internal static class TrainingBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        int threads = options.Int("threads", 2), batch = options.Int("batch", 128);
        int warmup = options.Int("warmup", 5), steps = options.Int("steps", 10), rounds = options.Int("rounds", 3);
        TorchRuntime.Configure(threads);
        var fashion = await BenchData.FashionMnistAsync(options.Text("fashion"), cancellationToken);
        var synthetic = await BenchData.SyntheticAsync(count: 4000, size: 64, channels: 3, classes: 10, cancellationToken);
        var training = new TrainingSpec { BatchSize = batch, Optimizer = Optimizers.Sgd, LearningRate = 0.01, Momentum = 0.9, Device = "cpu" };
        var floats = new TrainerSettings { Device = "cpu", Readers = options.Int("readers", 2), StoredBatches = false };
        var bytes = floats with { StoredBatches = true };

        var runs = new List<BenchRun>
        {
            new("small_cnn  Fashion-MNIST 1x28x28", BenchData.Spec(fashion, Architectures.SmallCnn, training), floats),
            new("small_cnn  Fashion-MNIST 1x28x28", BenchData.Spec(fashion, Architectures.SmallCnn, training), bytes),
            new("resnet18   synthetic 3x64x64", BenchData.Spec(synthetic, Architectures.ResNet18, training), floats),
            new("resnet18   synthetic 3x64x64", BenchData.Spec(synthetic, Architectures.ResNet18, training), bytes),
        };
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
            Print(runs, threads, batch, warmup, steps, rounds);
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

    private static void Print(List<BenchRun> runs, int threads, int batch, int warmup, int steps, int rounds)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training step, CPU, {threads} threads, batch {batch}: {warmup} warm-up steps, then {rounds} alternating rounds of {steps} measured steps"));
        Console.WriteLine("batches: float32 = decoded to float on the CPU by the reader threads; uint8 = as stored, converted to float " +
            "(N,C,H,W, rescale, normalise) inside the measured training step");
        Console.WriteLine($"{"configuration",-36} {"batches",8} {"img/s median",12} {"img/s p10-p90",15} {"step ms median",15} {"stall %",8}");
        foreach (var run in runs)
        {
            var rates = run.Measured.Select(m => run.BatchSize / (m.TotalMs / 1000)).Order().ToList();
            double stall = 100 * run.Measured.Sum(m => m.WaitMs) / run.Measured.Sum(m => m.TotalMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Label,-36} {run.Batches,8} {Percentile(rates, 0.5),12:F0} {$"{Percentile(rates, 0.1):F0}-{Percentile(rates, 0.9):F0}",15} " +
                $"{Percentile(run.Measured.Select(m => m.TotalMs).Order().ToList(), 0.5),15:F1} {stall,8:F1}"));
        }
    }

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Round(q * (sorted.Count - 1))];
}
