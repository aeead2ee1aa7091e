namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>A run that ended Failed, so that Hangfire's record of the job says so too; the job's error is already stored.</summary>
internal sealed class TrainingRunFailedException(string message) : Exception(message);
