namespace WebTrainer.Web.Jobs;

/// <summary>Bounds of <c>GET /api/jobs</c> paging; the offset (page − 1) × pageSize is computed as a bigint.</summary>
internal static class JobPaging
{
    public const int MaxPageSize = 500;

    /// <summary>Far past any real list, and small enough that the offset stays a sensible bigint.</summary>
    public const int MaxPage = 1_000_000;

    public static Dictionary<string, string[]>? Problems(int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"page must be between 1 and {MaxPage}, not {page}"];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}, not {pageSize}"];
        }
        return errors.Count > 0 ? errors : null;
    }
}
