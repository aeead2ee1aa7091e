namespace WebTrainer.Web.Jobs;

/// <summary>What a cancel or delete request came to.</summary>
internal enum JobCommandOutcome
{
    NotFound,

    /// <summary>Members change only their own jobs; admins change all.</summary>
    NotYours,

    CancelledWhileQueued,
    StopRequested,
    AlreadyFinished,

    /// <summary>Only a job that has ended can be deleted.</summary>
    StillActive,
    Deleted,
}
