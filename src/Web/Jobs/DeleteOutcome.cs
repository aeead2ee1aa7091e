namespace WebTrainer.Web.Jobs;

/// <summary>What a delete request found: only a job that has ended can be deleted.</summary>
internal enum DeleteOutcome
{
    NotFound,
    StillActive,
    Deleted,
}
