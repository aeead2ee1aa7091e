using System.IO.Compression;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebTrainer.Web.Auth;
using WebTrainer.Worker.Storage;
using WebTrainer.Worker.Training.Artifacts;
using WebTrainer.Worker.Training.Checkpoints;

namespace WebTrainer.Web.Jobs;

/// <summary>The trained model of a job: download (weights + manifest) and top-5 inference on an uploaded image.</summary>
internal static class ArtifactsApi
{
    private const long MaxImageBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapArtifactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs/{id:long}").WithTags("Artifacts");
        group.MapGet("/artifacts/model", DownloadModel)
            .WithSummary("The trained model as a zip: model.weights (TorchSharp format) and model.json (architecture, classes, input, normalisation)");
        group.MapGet("/artifacts/manifest", GetManifest).WithSummary("The trained model's manifest");
        group.MapPost("/predict", Predict).DisableAntiforgery()
            .WithSummary("Top-5 classes for an uploaded PNG or JPEG (raw body or multipart field 'image')");
        return group;
    }

    internal static async Task<Results<PhysicalFileHttpResult, NotFound<string>, ProblemHttpResult>> DownloadModel(
        long id, ClaimsPrincipal user, JobRepository jobs, IOptions<ArtifactOptions> artifacts, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound($"Job {id} does not exist.");
        }
        if (!user.CanManageJobOf(row.Owner))
        {
            return JobsApi.NotYours(id, row.Owner, "download the model of");
        }
        var folder = artifacts.Value.JobFolder(id, row.RunKey);
        var weights = Path.Combine(folder, RunDirectory.ModelWeightsFileName);
        var manifest = Path.Combine(folder, RunDirectory.ManifestFileName);
        if (!File.Exists(manifest) || !File.Exists(weights))
        {
            return TypedResults.NotFound($"Job {id} has no trained model yet (it is {row.Status}).");
        }
        var zip = Path.Combine(folder, "model.zip");
        if (!File.Exists(zip) || File.GetLastWriteTimeUtc(zip) < File.GetLastWriteTimeUtc(manifest))
        {
            var partial = zip + ".partial";
            using (var archive = ZipFile.Open(partial, ZipArchiveMode.Create))
            {
                archive.CreateEntryFromFile(weights, RunDirectory.ModelWeightsFileName, CompressionLevel.Fastest);
                archive.CreateEntryFromFile(manifest, RunDirectory.ManifestFileName, CompressionLevel.Fastest);
            }
            File.Move(partial, zip, overwrite: true);
        }
        return TypedResults.PhysicalFile(zip, "application/zip", $"job-{id}-{row.Name}-model.zip".Replace(' ', '_'));
    }

    internal static async Task<Results<Ok<ModelManifest>, NotFound<string>>> GetManifest(
        long id, JobRepository jobs, IOptions<ArtifactOptions> artifacts, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        var path = row is null ? null : Path.Combine(artifacts.Value.JobFolder(id, row.RunKey), RunDirectory.ManifestFileName);
        return path is not null && File.Exists(path)
            ? TypedResults.Ok(ModelArtifacts.ReadManifest(path))
            : TypedResults.NotFound($"Job {id} has no trained model.");
    }

    internal static async Task<Results<Ok<IReadOnlyList<Prediction>>, NotFound<string>, ProblemHttpResult>> Predict(
        long id, HttpContext context, JobRepository jobs, PredictorCache predictors, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        var predictor = row is null ? null : predictors.Get(id, row.RunKey);
        if (predictor is null)
        {
            return TypedResults.NotFound($"Job {id} has no trained model.");
        }
        var image = await ReadImageAsync(context.Request, cancellationToken);
        if (image is null)
        {
            return TypedResults.Problem($"Send a PNG or JPEG of at most {MaxImageBytes} bytes as the body or as multipart field 'image'.",
                statusCode: StatusCodes.Status400BadRequest, title: "No image");
        }
        try
        {
            return TypedResults.Ok(predictor.PredictEncoded(image, top: 5));
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The image cannot be used");
        }
    }

    private static async Task<byte[]?> ReadImageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxImageBytes)
        {
            return null;
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.GetFile("image") ?? form.Files.FirstOrDefault();
            if (file is null || file.Length == 0 || file.Length > MaxImageBytes)
            {
                return null;
            }
            using var memory = new MemoryStream();
            await file.CopyToAsync(memory, cancellationToken);
            return memory.ToArray();
        }
        // Read at most one byte past the limit: a chunked body without a length must not fill memory.
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > MaxImageBytes)
            {
                return null;
            }
        }
        return body.Length == 0 ? null : body.ToArray();
    }
}
