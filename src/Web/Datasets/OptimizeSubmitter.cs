using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Helpers;

namespace WebTrainer.Web.Datasets;

/// <summary>What an optimise request came to: a queued job, field problems, or an output in the way (nothing queued).</summary>
internal sealed record OptimizeSubmission(long? JobId, IDictionary<string, string[]>? FieldErrors, string? Conflict);

/// <summary>
/// Checks an optimise request (input inside the data roots and readable, with image datasets; a new
/// output name in the upload root, never an existing file) and queues it like a training job.
/// The output goes to the upload root and is owned, from submission on, by whoever asked for it.
/// </summary>
internal sealed partial class OptimizeSubmitter(
    DataRoots dataRoots,
    DatasetUploader uploader,
    JobRepository jobs,
    QueueRepository queue,
    DatasetFileRepository files,
    HelperClient helpers,
    ILogger<OptimizeSubmitter> logger)
{
    public async Task<OptimizeSubmission> SubmitAsync(OptimizeRequest request, UploadingUser user, CancellationToken cancellationToken)
    {
        var owner = user.Email;
        var errors = new Dictionary<string, string[]>();
        if (!OptimizeLayouts.All.Contains(request.Layout))
        {
            errors["layout"] = [$"unknown layout '{request.Layout}'; choose one of: {string.Join(", ", OptimizeLayouts.All)}"];
        }
        if (request.DeflateLevel is { } level && (level is < 0 or > 9))
        {
            errors["deflateLevel"] = [$"deflateLevel must be 0..9 or null (uncompressed), not {level}"];
        }
        else if (request.DeflateLevel is not null && request.Layout == OptimizeLayouts.Contiguous)
        {
            errors["deflateLevel"] = ["deflate needs layout 'chunked'; contiguous datasets are stored uncompressed"];
        }
        string? input = null;
        DatasetFileIdentity? identity = null;
        try
        {
            input = dataRoots.ResolveExisting(request.File);
            // Taken before the input is read, like a training job's: the run refuses an input changed since.
            identity = DatasetFileIdentity.Of(input);
            var problem = await CheckInputAsync(input, request.File, cancellationToken);
            if (problem is not null)
            {
                errors["file"] = [problem];
            }
        }
        catch (Exception ex) when (ex is DataPathException or IOException or UnauthorizedAccessException)
        {
            errors["file"] = [ex.Message];
        }
        string? outputName = null;
        string? output = null;
        try
        {
            outputName = request.Output ?? DefaultOutput(request.File);
            output = uploader.Target(outputName);
        }
        catch (DataPathException ex)
        {
            errors["output"] = [ex.Message];
        }
        if (errors.Count > 0)
        {
            return new OptimizeSubmission(null, errors, null);
        }
        if (File.Exists(output) || output == input)
        {
            return new OptimizeSubmission(null, null, $"'{outputName}' already exists in the upload root; it is never overwritten: name another output");
        }
        if (dataRoots.ExistingElsewhere(outputName!, uploader.Root) is [var other, ..])
        {
            return new OptimizeSubmission(null, null,
                $"'{outputName}' exists in data root {other.Root} ({other.Path}); the output would shadow it or be shadowed by it: name another output");
        }
        if (await jobs.FindActiveOptimizeAsync(outputName!, uploader.Root, cancellationToken) is { } writer)
        {
            return new OptimizeSubmission(null, null, $"'{outputName}' is being written by optimise job {writer}; name another output");
        }
        if (File.Exists(OptimizePaths.Partial(output!)))
        {
            return new OptimizeSubmission(null, null, $"'{outputName}' has a partial file of an earlier optimise job; name another output");
        }

        var spec = new OptimizeSpec
        {
            Input = dataRoots.RelativeName(input!),
            Output = outputName!,
            OutputRoot = uploader.Root,
            Layout = request.Layout,
            DeflateLevel = request.DeflateLevel,
        };
        // Owned from now on, so no one else may write that name while the job waits; its size is known when the job has written it.
        var root = dataRoots.Roots[uploader.Root];
        await files.RecordAsync(root, Path.GetRelativePath(root, output!), user.Id, null, cancellationToken);
        var id = await jobs.CreateOptimizeAsync($"optimize {spec.Input}", spec, owner, JobQueues.Any, identity, cancellationToken);
        await queue.WakeDispatcherAsync(cancellationToken);
        LogQueued(logger, id, spec.Input, spec.Output, owner);
        return new OptimizeSubmission(id, null, null);
    }

    /// <summary><c>sub/food.h5</c> → <c>sub/food.optimized.h5</c>, or at the top of the upload root when it has no such folder.</summary>
    private string DefaultOutput(string input)
    {
        var name = Path.GetFileNameWithoutExtension(input) + ".optimized.h5";
        var folder = Path.GetDirectoryName(input.Replace('\\', '/')) ?? "";
        var nextToIt = folder.Length == 0 ? name : $"{folder}/{name}";
        try
        {
            uploader.Target(nextToIt);
            return nextToIt;
        }
        catch (DataPathException)
        {
            return name;
        }
    }

    private async Task<string?> CheckInputAsync(string input, string name, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await helpers.InspectAsync(input, name, cancellationToken);
            return summary.Datasets.Any(d => d.Role == DatasetRoles.Images)
                ? null
                : "has no image dataset (N,H,W,C or N,C,H,W or N,H,W of uint8, float16 or float32) to optimise";
        }
        catch (HelperRejectedException ex)
        {
            return ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued optimise job {JobId}: {Input} -> {Output} for {Owner}")]
    private static partial void LogQueued(ILogger logger, long jobId, string input, string output, string owner);
}
