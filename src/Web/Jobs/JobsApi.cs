using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Auth;
using WebTrainer.Web.Errors;

namespace WebTrainer.Web.Jobs;

internal static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs").WithTags("Jobs");
        group.MapPost("/", CreateJob).WithSummary("Validate a job spec against its dataset file, store it and queue it");
        group.MapGet("/", ListJobs).WithSummary("Jobs, newest first, with filters and paging");
        group.MapGet("/{id:long}", GetJob).WithSummary("A job with its spec, epoch metrics, last batch and test results");
        group.MapPost("/{id:long}/cancel", CancelJob).WithSummary("Cancel a queued job, or stop a running one at the next batch");
        group.MapDelete("/{id:long}", DeleteJob).WithSummary("Delete a job that is not running, with its metrics");
        group.MapPut("/{id:long}/priority", SetPriority).RequireAuthorization(AuthSchemes.AdminPolicy)
            .WithSummary("Change a queued job's priority (admins); higher runs first");
        group.MapPost("/{id:long}/clone", CloneJob).WithSummary("Queue a new job with the same spec");
        group.MapGet("/{id:long}/metrics/epochs", GetEpochs).WithSummary("Per-epoch metrics");
        group.MapGet("/{id:long}/metrics/batches", GetBatches).WithSummary("Batch progress samples, optionally of one epoch");
        group.MapGet("/{id:long}/events", GetEvents).WithSummary("The job's log, after an event id");
        return group;
    }

    internal static async Task<Results<Created<JobCreated>, ValidationProblem, ProblemHttpResult>> CreateJob(
        JobSpec spec, JobSubmitter submitter, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await submitter.SubmitAsync(spec, Owner(context), cancellationToken);
        if (result.FieldErrors is not null)
        {
            return TypedResults.ValidationProblem(result.FieldErrors, title: "The job spec is invalid");
        }
        if (result.QuotaExceeded)
        {
            return TypedResults.Problem(result.Problem, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many queued or running jobs");
        }
        if (result.Problem is not null)
        {
            return TypedResults.Problem(result.Problem, statusCode: StatusCodes.Status400BadRequest, title: "The dataset cannot be used as specified");
        }
        var id = result.JobId!.Value;
        return TypedResults.Created($"/api/jobs/{id}", new JobCreated(id, JobStatus.Queued, $"/api/jobs/{id}") { Warnings = result.Warnings });
    }

    internal static async Task<Results<Ok<JobListPage>, ValidationProblem>> ListJobs(
        JobRepository jobs, QueueForecast forecast, CancellationToken cancellationToken, [FromQuery] JobStatus? status = null, [FromQuery] string? owner = null,
        [FromQuery] string? search = null, [FromQuery] string sort = "created_desc", [FromQuery] int page = 1, [FromQuery] int pageSize = 50)
    {
        if (JobPaging.Problems(page, pageSize) is { } paging)
        {
            return TypedResults.ValidationProblem(paging, title: "The paging is out of bounds");
        }
        var query = new JobQuery { Status = status, Owner = owner, Search = search, Sort = sort, Page = page, PageSize = pageSize };
        var (items, total) = await jobs.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new JobListPage(await forecast.ApplyAsync(items, cancellationToken), total, page, pageSize));
    }

    internal static async Task<Results<Ok<JobDetail>, NotFound>> GetJob(
        long id, JobRepository jobs, MetricsRepository metrics, QueueForecast forecast, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }
        var epochs = await metrics.GetEpochsAsync(id, cancellationToken);
        var lastBatch = await metrics.GetLastBatchAsync(id, cancellationToken);
        var summary = (await forecast.ApplyAsync([row.ToSummary()], cancellationToken))[0];
        return TypedResults.Ok(new JobDetail(summary, row.ParsedSpec, row.WorkerName, epochs, lastBatch, row.ParsedTestResults)
        {
            Optimize = row.ParsedOptimize,
        });
    }

    internal static async Task<Results<Accepted<JobSummary>, Ok<JobSummary>, NotFound, Conflict<ProblemDetails>, ProblemHttpResult>> CancelJob(
        long id, ClaimsPrincipal user, JobCommands commands, CancellationToken cancellationToken)
    {
        var (outcome, summary) = await commands.CancelAsync(id, user, cancellationToken);
        return outcome switch
        {
            JobCommandOutcome.NotFound => TypedResults.NotFound(),
            JobCommandOutcome.NotYours => NotYours(id, summary!.Owner, "cancel"),
            JobCommandOutcome.AlreadyFinished => Conflicts.Of("The job has already ended", JobCommandMessages.Cancel(outcome, id, summary)),
            JobCommandOutcome.CancelledWhileQueued => TypedResults.Ok(summary!),
            _ => TypedResults.Accepted($"/api/jobs/{id}", summary!),
        };
    }

    internal static async Task<Results<NoContent, NotFound, Conflict<ProblemDetails>, ProblemHttpResult>> DeleteJob(
        long id, ClaimsPrincipal user, JobCommands commands, CancellationToken cancellationToken)
    {
        var (outcome, summary) = await commands.DeleteAsync(id, user, cancellationToken);
        return outcome switch
        {
            JobCommandOutcome.NotFound => TypedResults.NotFound(),
            JobCommandOutcome.NotYours => NotYours(id, summary!.Owner, "delete"),
            JobCommandOutcome.StillActive => Conflicts.Of("The job is still active", JobCommandMessages.Delete(outcome, id, summary)),
            _ => TypedResults.NoContent(),
        };
    }

    internal static async Task<Results<Ok<JobSummary>, NotFound, Conflict<ProblemDetails>>> SetPriority(
        long id, SetPriorityRequest request, JobRepository jobs, QueueRepository queue, CancellationToken cancellationToken)
    {
        var summary = await jobs.GetSummaryAsync(id, cancellationToken);
        if (summary is null)
        {
            return TypedResults.NotFound();
        }
        if (!await queue.SetPriorityAsync(id, request.Priority, cancellationToken))
        {
            return Conflicts.Of("The job is not waiting", $"Job {id} is {summary.Status}; only queued jobs have a priority to change.");
        }
        await queue.WakeDispatcherAsync(cancellationToken);
        return TypedResults.Ok((await jobs.GetSummaryAsync(id, cancellationToken))!);
    }

    internal static async Task<Results<Created<JobCreated>, NotFound, ValidationProblem, ProblemHttpResult>> CloneJob(
        long id, JobRepository jobs, JobSubmitter submitter, HttpContext context, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }
        if (row.Kind != JobKinds.Train)
        {
            return TypedResults.Problem($"Job {id} is an optimise job; queue another with POST /api/datasets/optimize and a new output name.",
                statusCode: StatusCodes.Status400BadRequest, title: "Only training jobs are cloned");
        }
        var spec = row.ParsedSpec;
        var created = await CreateJob(spec with { Name = $"{spec.Name} (copy)" }, submitter, context, cancellationToken);
        return created.Result switch
        {
            Created<JobCreated> ok => ok,
            ValidationProblem invalid => invalid,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("unexpected result"),
        };
    }

    internal static async Task<Results<Ok<IReadOnlyList<EpochMetrics>>, NotFound>> GetEpochs(
        long id, JobRepository jobs, MetricsRepository metrics, CancellationToken cancellationToken) =>
        await jobs.GetSummaryAsync(id, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await metrics.GetEpochsAsync(id, cancellationToken));

    internal static async Task<Results<Ok<IReadOnlyList<BatchProgress>>, NotFound>> GetBatches(
        long id, JobRepository jobs, MetricsRepository metrics, CancellationToken cancellationToken, [FromQuery] int? epoch = null) =>
        await jobs.GetSummaryAsync(id, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await metrics.GetBatchesAsync(id, epoch, cancellationToken));

    internal static async Task<Results<Ok<IReadOnlyList<JobEvent>>, NotFound>> GetEvents(
        long id, JobRepository jobs, MetricsRepository metrics, CancellationToken cancellationToken, [FromQuery] long after = 0) =>
        await jobs.GetSummaryAsync(id, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await metrics.GetEventsAsync(id, after, cancellationToken));

    internal static string Owner(HttpContext context) => context.User.Email();

    /// <summary>403 that says whose job it is: members change only their own jobs.</summary>
    internal static ProblemHttpResult NotYours(long id, string owner, string action) => TypedResults.Problem(
        JobCommandMessages.NotYours(id, owner, action),
        statusCode: StatusCodes.Status403Forbidden, title: "Not your job");
}
