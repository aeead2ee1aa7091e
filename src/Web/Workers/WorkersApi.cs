using Microsoft.AspNetCore.Http.HttpResults;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Web.Workers;

internal static class WorkersApi
{
    public static RouteGroupBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workers").WithTags("Workers");
        group.MapGet("/", ListWorkers).WithSummary("Worker processes: device, threads, queues, current job, alive");
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<WorkerInfo>>> ListWorkers(WorkerRepository workers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await workers.ListAsync(cancellationToken));
}
