using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Storage;

/// <summary>Filters and paging of the jobs list.</summary>
public sealed record JobQuery
{
    public JobStatus? Status { get; init; }
    public string? Owner { get; init; }
    public string? Search { get; init; }
    public string Sort { get; init; } = "created_desc";
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}
