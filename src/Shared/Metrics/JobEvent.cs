namespace WebTrainer.Shared.Metrics;

/// <summary>A line of a job's log: started, checkpoint written, failed, ...</summary>
public sealed record JobEvent(long Id, DateTimeOffset At, string Level, string Message);
