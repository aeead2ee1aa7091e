namespace WebTrainer.Web.Jobs;

/// <summary>How many jobs one member may have waiting or running (<c>Jobs__MaxQueuedPerUser</c>); admins set it and are not held to it.</summary>
internal sealed class JobQuotaOptions
{
    public const string SectionName = "Jobs";

    public int MaxQueuedPerUser { get; set; } = 20;
}
