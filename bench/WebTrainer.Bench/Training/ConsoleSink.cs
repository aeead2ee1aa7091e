using System.Globalization;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Training;

namespace WebTrainer.Bench.Training;

/// <summary>
/// Prints a run's epochs and events as they come, each epoch with what the process did meanwhile (minor page
/// faults, CPU seconds, context switches; training and validation together); calls back on every epoch (for memory readings).
/// </summary>
internal sealed class ConsoleSink(Action<EpochMetrics>? onEpoch = null, bool quiet = false) : IProgressSink
{
    private ProcessCounters last = ProcessProbe.Counters();

    public List<EpochMetrics> Epochs { get; } = [];

    public void Batch(BatchProgress progress)
    {
    }

    public void Epoch(EpochMetrics metrics)
    {
        Epochs.Add(metrics);
        onEpoch?.Invoke(metrics);
        var now = ProcessProbe.Counters();
        var delta = now - last;
        last = now;
        if (!quiet)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {metrics.Epoch,2}: train loss {metrics.TrainLoss:F4} acc {metrics.TrainAccuracy:P2} | val loss {metrics.ValidationLoss:F4} " +
                $"acc {metrics.ValidationAccuracy:P2} top5 {metrics.ValidationTop5Accuracy:P2} | lr {metrics.LearningRate:G3} | " +
                $"{metrics.SamplesPerSecond:F0} img/s, stall {metrics.DataStallPercent:F1} %, {metrics.ElapsedMs / 1000.0:F1} s | " +
                $"faults {delta.MinorFaults}, cpu {delta.CpuSeconds:F1} s, switches {delta.VoluntarySwitches}/{delta.InvoluntarySwitches}"));
        }
    }

    public void Event(string level, string message)
    {
        if (!quiet && level != "debug")
        {
            Console.WriteLine($"[{level}] {message}");
        }
    }
}
