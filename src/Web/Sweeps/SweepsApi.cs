using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WebTrainer.Shared.Sweeps;
using WebTrainer.Web.Jobs;

namespace WebTrainer.Web.Sweeps;

internal static class SweepsApi
{
    public static RouteGroupBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sweeps").WithTags("Sweeps");
        group.MapPost("/", CreateSweep)
            .WithSummary("Queue one job per point of a grid or random search over spec paths; every point is checked first, all or nothing");
        group.MapGet("/", ListSweeps).WithSummary("Your sweeps (admins: everyone's), newest first, with their jobs counted by status");
        group.MapGet("/{id:long}", GetSweep)
            .WithSummary("A sweep's points: job, status, values, best validation accuracy and loss so far, test accuracy");
        group.MapPost("/{id:long}/cancel", CancelSweep).WithSummary("Cancel a sweep's queued jobs and stop its running ones at their next batch");
        return group;
    }

    internal static async Task<Results<Created<SweepCreated>, ValidationProblem, ProblemHttpResult>> CreateSweep(
        SweepRequest request, SweepSubmitter submitter, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await submitter.SubmitAsync(request, JobsApi.Owner(context), cancellationToken);
        if (result.FieldErrors is not null)
        {
            return TypedResults.ValidationProblem(result.FieldErrors, title: "The sweep is invalid; nothing was queued");
        }
        if (result.QuotaExceeded)
        {
            return TypedResults.Problem(result.Problem, statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many queued or running jobs; nothing was queued");
        }
        if (result.Problem is not null)
        {
            return TypedResults.Problem(result.Problem, statusCode: StatusCodes.Status400BadRequest,
                title: "The dataset cannot be used as specified; nothing was queued");
        }
        return TypedResults.Created(result.Created!.Url, result.Created);
    }

    internal static async Task<Ok<IReadOnlyList<SweepSummary>>> ListSweeps(
        ClaimsPrincipal user, SweepCommands sweeps, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sweeps.ListAsync(user, cancellationToken));

    internal static async Task<Results<Ok<SweepDetail>, NotFound>> GetSweep(
        long id, ClaimsPrincipal user, SweepCommands sweeps, CancellationToken cancellationToken) =>
        await sweeps.GetAsync(id, user, cancellationToken) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound();

    internal static async Task<Results<Ok<SweepCancelled>, NotFound>> CancelSweep(
        long id, ClaimsPrincipal user, SweepCommands sweeps, CancellationToken cancellationToken) =>
        await sweeps.CancelAsync(id, user, cancellationToken) is { } cancelled ? TypedResults.Ok(cancelled) : TypedResults.NotFound();
}
