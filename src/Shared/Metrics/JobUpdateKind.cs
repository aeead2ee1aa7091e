namespace WebTrainer.Shared.Metrics;

public enum JobUpdateKind
{
    Status,
    Epoch,
    Batch,
    Event,
}
