using System.Globalization;
using System.Runtime.InteropServices;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>memory</c>: trains a tiny model for 20 epochs through the real trainer and reads the
/// process's resident set (native tensors included) and the managed heap after every epoch.
/// With one dispose scope per batch, RSS should level off after the first epochs, not climb.
/// The second reading follows glibc's <c>malloc_trim</c>, which hands freed pages back: what is
/// left is what is really alive (a leaked tensor stays), without the allocator's arena slack.
/// </summary>
internal static partial class MemoryBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        int epochs = options.Int("epochs", 20);
        TorchRuntime.Configure(options.Int("threads", 2));
        var file = await BenchData.SyntheticAsync(count: 3000, size: 28, channels: 1, classes: 10, cancellationToken);
        var spec = BenchData.Spec(file, Architectures.SmallCnn, new TrainingSpec
        {
            Epochs = epochs,
            BatchSize = 64,
            Device = "cpu",
            Schedule = new LearningRateSchedule { Kind = "cosine" },
        });
        var readings = new List<(int Epoch, double RssMb, double TrimmedMb, double ManagedMb)>();
        var sink = new ConsoleSink(m => readings.Add((m.Epoch, ResidentMegabytes(), TrimmedMegabytes(), GC.GetTotalMemory(false) / 1e6)), quiet: true);
        var data = TrainingData.Open(file, spec.Dataset);
        double before = ResidentMegabytes();
        var test = await new Trainer(new TrainerSettings { Device = "cpu" }, sink).RunAsync(spec, data, cancellationToken);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"small_cnn, synthetic 1x28x28, {data.Train.Count} train images, batch 64, {epochs} epochs; RSS before training {before:F1} MB"));
        Console.WriteLine($"{"epoch",5} {"RSS MB",8} {"RSS trimmed MB",15} {"managed MB",11} {"val acc",8}");
        foreach (var (epoch, rss, trimmed, managed) in readings)
        {
            var accuracy = sink.Epochs.First(e => e.Epoch == epoch).ValidationAccuracy;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{epoch,5} {rss,8:F1} {trimmed,15:F1} {managed,11:F1} {accuracy,8:P1}"));
        }
        var settled = readings.Skip(2).ToList();
        foreach (var (name, values) in new[] { ("RSS", settled.Select(r => r.RssMb).ToList()), ("RSS trimmed", settled.Select(r => r.TrimmedMb).ToList()) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} epoch 3 -> {epochs}: {values[0]:F1} -> {values[^1]:F1} MB ({values[^1] - values[0]:+0.0;-0.0} MB), " +
                $"min {values.Min():F1}, max {values.Max():F1}, least-squares slope {Slope(values):+0.00;-0.00} MB/epoch"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy {test?.Accuracy:P1}"));
        return 0;
    }

    private static double Slope(List<double> values)
    {
        double meanX = (values.Count - 1) / 2.0, meanY = values.Average();
        double covariance = values.Select((y, x) => (x - meanX) * (y - meanY)).Sum();
        double variance = values.Select((_, x) => (x - meanX) * (x - meanX)).Sum();
        return variance == 0 ? 0 : covariance / variance;
    }

    private static double TrimmedMegabytes()
    {
        malloc_trim(0);
        return ResidentMegabytes();
    }

    [LibraryImport("libc")]
    private static partial int malloc_trim(nuint pad);

    /// <summary>VmRSS from /proc: what the process really holds, libtorch's allocations included.</summary>
    private static double ResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
