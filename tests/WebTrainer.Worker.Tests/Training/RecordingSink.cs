using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>Keeps what a trainer reports, for assertions; <see cref="OnEvent"/> and <see cref="OnBatch"/> let a test react (e.g. cancel after a checkpoint).</summary>
internal sealed class RecordingSink : IProgressSink
{
    public List<BatchProgress> Batches { get; } = [];
    public List<EpochMetrics> Epochs { get; } = [];
    public List<(string Level, string Message)> Events { get; } = [];
    public Action<string, string>? OnEvent { get; init; }
    public Action<BatchProgress>? OnBatch { get; init; }

    public void Batch(BatchProgress progress)
    {
        lock (Batches)
        {
            Batches.Add(progress);
        }
        OnBatch?.Invoke(progress);
    }

    public void Epoch(EpochMetrics metrics) => Epochs.Add(metrics);

    public void Event(string level, string message)
    {
        Events.Add((level, message));
        OnEvent?.Invoke(level, message);
    }
}
