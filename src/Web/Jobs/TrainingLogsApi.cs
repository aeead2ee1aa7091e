using System.IO.Compression;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Auth;

namespace WebTrainer.Web.Jobs;

/// <summary>A job's training logs for other tools: its TensorBoard event files and its epochs as CSV; the job's owner (or an admin) only, as for the model.</summary>
internal static class TrainingLogsApi
{
    public static RouteGroupBuilder MapTrainingLogsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs/{id:long}/artifacts").WithTags("Artifacts");
        group.MapGet("/tensorboard", DownloadTensorBoard)
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .WithSummary("The run's TensorBoard event files as a zip (one folder per job: unzip several into one --logdir to compare them)");
        group.MapGet("/metrics.csv", DownloadMetricsCsv)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("One row per finished epoch: epoch, train_loss, train_accuracy, train_top5_accuracy, val_loss, val_accuracy, " +
                "val_top5_accuracy, learning_rate, images_per_second, data_stall_percent, read_mb_per_second, elapsed_ms");
        return group;
    }

    internal static async Task<Results<FileContentHttpResult, NotFound<string>, ProblemHttpResult>> DownloadTensorBoard(
        long id, ClaimsPrincipal user, JobRepository jobs, IOptions<ArtifactOptions> artifacts, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound($"Job {id} does not exist.");
        }
        if (!user.CanManageJobOf(row.Owner))
        {
            return JobsApi.NotYours(id, row.Owner, "download the TensorBoard logs of");
        }
        var folder = new RunDirectory(artifacts.Value.JobFolder(id, row.RunKey)).TensorBoard;
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "events.out.tfevents.*").Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)).ToList() : [];
        if (files.Count == 0)
        {
            return TypedResults.NotFound($"Job {id} has no TensorBoard events yet (it is {row.Status}).");
        }
        var run = FileName(id, row.Name);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                // A running job appends to its file while it is copied: share it, and take what is there (TensorBoard skips a cut-off last record).
                await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await using var entry = archive.CreateEntry($"{run}/{Path.GetFileName(file)}", CompressionLevel.Fastest).Open();
                await source.CopyToAsync(entry, cancellationToken);
            }
        }
        return TypedResults.File(zip.ToArray(), "application/zip", $"{run}-tensorboard.zip");
    }

    internal static async Task<Results<FileContentHttpResult, NotFound<string>, ProblemHttpResult>> DownloadMetricsCsv(
        long id, ClaimsPrincipal user, JobRepository jobs, MetricsRepository metrics, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound($"Job {id} does not exist.");
        }
        if (!user.CanManageJobOf(row.Owner))
        {
            return JobsApi.NotYours(id, row.Owner, "download the metrics of");
        }
        var epochs = await metrics.GetEpochsAsync(id, cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(MetricsCsv.Write(epochs)), "text/csv", $"{FileName(id, row.Name)}-metrics.csv");
    }

    private static string FileName(long id, string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return $"job-{id}-{safe}";
    }
}
