using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Jobs;
using WebTrainer.Web.Errors;
using WebTrainer.Web.Jobs;

namespace WebTrainer.Web.Datasets;

internal static class OptimizeApi
{
    /// <summary><c>POST /api/datasets/optimize</c>: queue a rewrite of a file into a training-friendly layout.</summary>
    public static RouteHandlerBuilder MapOptimize(this RouteGroupBuilder group) =>
        group.MapPost("/optimize", Optimize)
            .WithSummary("Queue a job that rewrites a file's image datasets contiguous or one image per chunk into a new file in the upload root");

    internal static async Task<Results<Created<JobCreated>, ValidationProblem, Conflict<ProblemDetails>>> Optimize(
        OptimizeRequest request, OptimizeSubmitter submitter, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await submitter.SubmitAsync(request, UploadingUser.Of(context.User), cancellationToken);
        if (result.FieldErrors is not null)
        {
            return TypedResults.ValidationProblem(result.FieldErrors, title: "The optimise request is invalid");
        }
        if (result.Conflict is not null)
        {
            return Conflicts.Of("The output file exists", result.Conflict);
        }
        var id = result.JobId!.Value;
        return TypedResults.Created($"/api/jobs/{id}", new JobCreated(id, JobStatus.Queued, $"/api/jobs/{id}"));
    }
}
