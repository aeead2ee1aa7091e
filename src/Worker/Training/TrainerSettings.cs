namespace WebTrainer.Worker.Training;

/// <summary>What the Worker process gives every run: device, threads, data pipeline sizes.</summary>
internal sealed record TrainerSettings
{
    public string Device { get; init; } = "auto";
    public int Readers { get; init; } = 2;
    public long PrefetchBudgetBytes { get; init; } = 256L * 1024 * 1024;
    public TimeSpan BatchReportInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
