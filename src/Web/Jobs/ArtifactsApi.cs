using System.IO.Compression;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Auth;
using WebTrainer.Web.Helpers;

namespace WebTrainer.Web.Jobs;

/// <summary>
/// The trained model of a job: download (a zip of weights + manifest, or the weights alone as TorchSharp,
/// PyTorch .pt or safetensors, all written by the run) and top-5 inference on an uploaded image.
/// </summary>
internal static class ArtifactsApi
{
    private const long MaxImageBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapArtifactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs/{id:long}").WithTags("Artifacts");
        group.MapGet("/artifacts/model", DownloadModel)
            .WithSummary("The trained model: format=zip (default; model.weights and model.json), torchsharp (model.weights), " +
                "pt (a PyTorch state dict for model.load_state_dict(torch.load(f))) or safetensors")
            .WithDescription("State-dict keys are torchvision's for resnet18/resnet50/mobilenet_v2/inception_v3 and those of " +
                "docs/small-cnn.md's PyTorch module for small_cnn. model.json (GET .../artifacts/manifest) has the classes, input size and normalisation.");
        group.MapGet("/artifacts/manifest", GetManifest).WithSummary("The trained model's manifest");
        group.MapPost("/predict", Predict).DisableAntiforgery()
            .WithSummary("Top-5 classes for an uploaded PNG or JPEG (raw body or multipart field 'image')");
        return group;
    }

    internal static async Task<Results<PhysicalFileHttpResult, NotFound<string>, ProblemHttpResult>> DownloadModel(
        long id, string? format, ClaimsPrincipal user, JobRepository jobs, IOptions<ArtifactOptions> artifacts, CancellationToken cancellationToken)
    {
        format ??= ModelFormats.Zip;
        if (!ModelFormats.All.Contains(format))
        {
            return TypedResults.Problem($"format must be one of {string.Join(", ", ModelFormats.All)}, not '{format}'.",
                statusCode: StatusCodes.Status400BadRequest, title: "Unknown model format");
        }
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound($"Job {id} does not exist.");
        }
        if (!user.CanManageJobOf(row.Owner))
        {
            return JobsApi.NotYours(id, row.Owner, "download the model of");
        }
        var run = new RunDirectory(artifacts.Value.JobFolder(id, row.RunKey));
        if (!File.Exists(run.Manifest) || !File.Exists(run.ModelWeights))
        {
            return TypedResults.NotFound($"Job {id} has no trained model yet (it is {row.Status}).");
        }
        var name = $"job-{id}-{row.Name}-model".Replace(' ', '_');
        var (path, contentType, extension) = format switch
        {
            ModelFormats.TorchSharp => (run.ModelWeights, "application/octet-stream", ".weights"),
            ModelFormats.PyTorch => (run.ModelPyTorch, "application/octet-stream", ".pt"),
            ModelFormats.Safetensors => (run.ModelSafetensors, "application/octet-stream", ".safetensors"),
            _ => (Zip(run), "application/zip", ".zip"),
        };
        if (!File.Exists(path))
        {
            return TypedResults.NotFound($"Job {id}'s model was saved before runs wrote {Path.GetFileName(path)}; format=torchsharp has its weights.");
        }
        return TypedResults.PhysicalFile(path, contentType, name + extension);
    }

    private static string Zip(RunDirectory run)
    {
        var zip = Path.Combine(run.Path, "model.zip");
        if (!File.Exists(zip) || File.GetLastWriteTimeUtc(zip) < File.GetLastWriteTimeUtc(run.Manifest))
        {
            var partial = zip + ".partial";
            using (var archive = ZipFile.Open(partial, ZipArchiveMode.Create))
            {
                archive.CreateEntryFromFile(run.ModelWeights, RunDirectory.ModelWeightsFileName, CompressionLevel.Fastest);
                archive.CreateEntryFromFile(run.Manifest, RunDirectory.ManifestFileName, CompressionLevel.Fastest);
            }
            File.Move(partial, zip, overwrite: true);
        }
        return zip;
    }

    /// <summary>model.json as the run wrote it (the Worker's ModelManifest, in the contracts' JSON); the Web only passes it on.</summary>
    internal static async Task<Results<ContentHttpResult, NotFound<string>, ProblemHttpResult>> GetManifest(
        long id, ClaimsPrincipal user, JobRepository jobs, IOptions<ArtifactOptions> artifacts, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is not null && !user.CanManageJobOf(row.Owner))
        {
            return JobsApi.NotYours(id, row.Owner, "read the model manifest of");
        }
        var path = row is null ? null : Path.Combine(artifacts.Value.JobFolder(id, row.RunKey), RunDirectory.ManifestFileName);
        return path is not null && File.Exists(path)
            ? TypedResults.Text(await File.ReadAllTextAsync(path, cancellationToken), "application/json")
            : TypedResults.NotFound($"Job {id} has no trained model.");
    }

    internal static async Task<Results<Ok<IReadOnlyList<Prediction>>, NotFound<string>, ProblemHttpResult>> Predict(
        long id, HttpContext context, JobRepository jobs, IOptions<ArtifactOptions> artifacts, HelperClient helpers, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(id, cancellationToken);
        if (row is not null && !context.User.CanManageJobOf(row.Owner))
        {
            return JobsApi.NotYours(id, row.Owner, "predict with the model of"); // as the model download: the owner's and admins'
        }
        var folder = row is null ? null : artifacts.Value.JobFolder(id, row.RunKey);
        if (folder is null || !File.Exists(Path.Combine(folder, RunDirectory.ManifestFileName)))
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
            // Decoding and inference run in a helper process, which keeps the model loaded for the next image.
            return TypedResults.Ok(await helpers.PredictAsync(id, folder, image, cancellationToken));
        }
        catch (HelperRejectedException ex)
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
