namespace WebTrainer.Shared.Storage;

/// <summary>PostgreSQL NOTIFY channels: the database is the only seam between Web and Worker.</summary>
public static class Notifications
{
    /// <summary>Worker → Web: a <see cref="Shared.Metrics.JobUpdate"/> as JSON.</summary>
    public const string UpdatesChannel = "webtrainer_updates";

    /// <summary>Web → Worker: the id of a job whose cancellation was requested.</summary>
    public const string CancelChannel = "webtrainer_cancel";
}
