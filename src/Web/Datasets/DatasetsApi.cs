using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Helpers;

namespace WebTrainer.Web.Datasets;

internal static class DatasetsApi
{

    public static RouteGroupBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datasets").WithTags("Datasets");
        group.MapGet("/", ListFiles).WithSummary("HDF5 files under the configured data roots");
        group.MapGet("/inspect", Inspect).WithSummary("Every dataset in a file: shape, dtype, layout, chunks, filters, role, label checks, class counts, suggested splits");
        group.MapGet("/preview", Preview).WithSummary("One image of a dataset as PNG: ?file=F&dataset=train_img&index=0");
        group.MapPost("/preview", PreviewAugmented).WithSummary("One image as the train split's augmentation would show it at an epoch, as PNG");
        group.MapPost("/upload", Upload).DisableAntiforgery()
            .WithSummary("Upload an HDF5 file (raw body or multipart field 'file'), streamed to disk: ?name=food.h5[&overwrite=true]; only its owner or an admin may overwrite");
        group.MapDelete("/", Delete).WithSummary("Delete an HDF5 file from the data roots: ?file=food.h5; only its owner or an admin may");
        group.MapOptimize();
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<DatasetFileInfo>>> ListFiles(DataRoots roots, DatasetFileRepository owners, CancellationToken cancellationToken) =>
        TypedResults.Ok(await FilesWithOwnersAsync(roots, owners, cancellationToken));

    internal static async Task<Results<Ok<Shared.Datasets.DatasetFileSummary>, ProblemHttpResult>> Inspect(
        DataRoots roots, HelperClient helpers, CancellationToken cancellationToken, [FromQuery] string? file = null)
    {
        try
        {
            var path = roots.ResolveExisting(file ?? "");
            return TypedResults.Ok(await helpers.InspectAsync(path, file!, cancellationToken));
        }
        catch (DataPathException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad file name", ex.Message);
        }
        catch (HelperRejectedException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "The file cannot be read", ex.Message);
        }
    }

    internal static Task<Results<FileContentHttpResult, ProblemHttpResult>> Preview(SamplePreview preview, CancellationToken cancellationToken,
        [FromQuery] string? file = null, [FromQuery] string? dataset = null, [FromQuery] long index = 0) =>
        RenderAsync(preview, new PreviewRequest(file ?? "", dataset ?? "", index, null), cancellationToken);

    internal static Task<Results<FileContentHttpResult, ProblemHttpResult>> PreviewAugmented(PreviewRequest request, SamplePreview preview,
        CancellationToken cancellationToken) =>
        RenderAsync(preview, request, cancellationToken);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RenderAsync(SamplePreview preview, PreviewRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            var samples = await preview.RenderAsync(request.File, request.Dataset, [request.Index], request.Augmentation, request.Seed, request.Epoch,
                labels: null, cancellationToken);
            return TypedResults.File(samples.Pngs[0], "image/png");
        }
        catch (DataPathException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad file name", ex.Message);
        }
        catch (HelperRejectedException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, ex.OutOfRange ? "No such image" : "The dataset cannot be shown", ex.Message);
        }
    }

    internal static async Task<Results<Created<DatasetFileInfo>, ProblemHttpResult>> Upload(
        HttpContext context, DatasetUploader uploader, DataRoots roots, CancellationToken cancellationToken,
        [FromQuery] string? name = null, [FromQuery] bool overwrite = false)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The uploader enforces its own limit while streaming; Kestrel's 30 MB default would cut real datasets short.
            limit.MaxRequestBodySize = uploader.MaxBytes + 1024 * 1024;
        }
        if (request.ContentLength > uploader.MaxBytes)
        {
            return TooLarge(uploader.MaxBytes, request.ContentLength.Value);
        }
        Stream body = request.Body;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(type.Boundary).Value!, request.Body);
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    name ??= Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
                    body = section.Body;
                    break;
                }
            }
            if (section is null)
            {
                return Problem(StatusCodes.Status400BadRequest, "No file in the upload", "The multipart body has no file part.");
            }
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            return Problem(StatusCodes.Status400BadRequest, "No file name", "Give the file name as ?name=food.h5 (or as the multipart file name).");
        }
        try
        {
            var user = UploadingUser.Of(context.User);
            // A multipart body's length includes its boundaries, so only a raw body's length is the file's.
            var declared = ReferenceEquals(body, request.Body) ? request.ContentLength : null;
            var outcome = await uploader.SaveAsync(name, body, overwrite, user, declared, cancellationToken);
            return outcome.Kind switch
            {
                "saved" => TypedResults.Created($"/api/datasets/{Uri.EscapeDataString(name)}", Describe(roots, uploader.Target(name)) with { Owner = user.Email }),
                "forbidden" => Problem(StatusCodes.Status403Forbidden, "Not your file", outcome.Problem!),
                "shadowed" => Problem(StatusCodes.Status409Conflict, "The name exists in another data root", outcome.Problem!),
                "over-quota" => Problem(StatusCodes.Status413PayloadTooLarge, "Upload quota exceeded", outcome.Problem!),
                "exists" => Problem(StatusCodes.Status409Conflict, "The file exists", $"'{name}' already exists in the data root; add overwrite=true to replace it."),
                "too-large" => TooLarge(uploader.MaxBytes, null),
                "empty" => Problem(StatusCodes.Status400BadRequest, "Empty upload", $"'{name}': the upload has no bytes."),
                _ => Problem(StatusCodes.Status400BadRequest, "Not an HDF5 file", $"'{name}': {outcome.Problem}; nothing was kept."),
            };
        }
        catch (DataPathException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad file name", ex.Message);
        }
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        HttpContext context, DatasetUploader uploader, CancellationToken cancellationToken, [FromQuery] string? file = null)
    {
        try
        {
            var outcome = await uploader.DeleteAsync(file ?? "", UploadingUser.Of(context.User), cancellationToken);
            return outcome.Kind == "deleted" ? TypedResults.NoContent() : Problem(StatusCodes.Status403Forbidden, "Not your file", outcome.Problem!);
        }
        catch (DataPathException ex)
        {
            return Problem(StatusCodes.Status404NotFound, "No such file", ex.Message);
        }
    }

    private static ProblemHttpResult TooLarge(long max, long? actual) => Problem(StatusCodes.Status413PayloadTooLarge, "The upload is too large",
        $"Uploads are limited to {max} bytes (Uploads:MaxBytes){(actual is null ? "" : $"; this one has {actual}")}; nothing was kept.");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);

    private static DatasetFileInfo Describe(DataRoots roots, string fullPath)
    {
        var info = new FileInfo(fullPath);
        var index = roots.Roots.ToList().FindIndex(r => fullPath.StartsWith(r + "/", StringComparison.Ordinal));
        return new DatasetFileInfo(roots.RelativeName(fullPath), index, info.Length, info.LastWriteTimeUtc);
    }

    /// <summary>The files under the data roots with who uploaded each; files nobody uploaded are the admins'.</summary>
    internal static async Task<IReadOnlyList<DatasetFileInfo>> FilesWithOwnersAsync(DataRoots roots, DatasetFileRepository owners, CancellationToken cancellationToken)
    {
        var files = await Task.Run(() => Files(roots), cancellationToken);
        var recorded = (await owners.ListAsync(cancellationToken)).ToDictionary(o => (o.Root, o.Path));
        return files.Select(f => f with
        {
            Owner = DatasetUploader.OwnerLabel(recorded.GetValueOrDefault((roots.Roots[f.Root], f.File))),
        }).ToList();
    }

    internal static IReadOnlyList<DatasetFileInfo> Files(DataRoots roots)
    {
        var files = new List<DatasetFileInfo>();
        for (int i = 0; i < roots.Roots.Count; i++)
        {
            var root = new DirectoryInfo(roots.Roots[i]);
            if (!root.Exists)
            {
                continue;
            }
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 8 };
            foreach (var file in root.EnumerateFiles("*", options))
            {
                if (DatasetUploader.Extensions.Contains(file.Extension, StringComparer.OrdinalIgnoreCase) && file.LinkTarget is null)
                {
                    files.Add(new DatasetFileInfo(Path.GetRelativePath(root.FullName, file.FullName), i, file.Length, file.LastWriteTimeUtc));
                }
            }
        }
        return files.OrderBy(f => f.File, StringComparer.Ordinal).ToList();
    }
}
