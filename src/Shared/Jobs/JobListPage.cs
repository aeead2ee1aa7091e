namespace WebTrainer.Shared.Jobs;

/// <summary>One page of the jobs list.</summary>
public sealed record JobListPage(IReadOnlyList<JobSummary> Items, int Total, int Page, int PageSize);
