using WebTrainer.Shared.Metrics;

namespace WebTrainer.Worker.Training;

/// <summary>Where the trainer reports to. The trainer neither knows nor waits for the database.</summary>
internal interface IProgressSink
{
    void Batch(BatchProgress progress);

    void Epoch(EpochMetrics metrics);

    void Event(string level, string message);
}
