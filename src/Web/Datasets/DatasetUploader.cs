using Microsoft.Extensions.Options;
using WebTrainer.Shared.Files;
using WebTrainer.Web.Helpers;

namespace WebTrainer.Web.Datasets;

/// <summary>
/// Streams an uploaded HDF5 file to disk (never into memory) under a temporary name, checks that
/// it is a readable HDF5 file, then moves it into place. A refused or broken upload leaves nothing.
/// </summary>
internal sealed class DatasetUploader(DataRoots roots, IOptions<UploadOptions> options, HelperClient helpers)
{
    public static readonly string[] Extensions = [".h5", ".hdf5", ".hdf", ".he5"];

    public long MaxBytes => options.Value.MaxBytes;

    public int Root => options.Value.Root;

    /// <summary>Where <paramref name="name"/> would be stored; throws <see cref="DataPathException"/> for a bad name.</summary>
    public string Target(string name)
    {
        if (!Extensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase))
        {
            throw new DataPathException(name, $"an HDF5 file name must end in {string.Join(", ", Extensions)}");
        }
        return roots.ResolveNew(name, options.Value.Root);
    }

    public async Task<UploadOutcome> SaveAsync(string name, Stream content, bool overwrite, CancellationToken cancellationToken)
    {
        var target = Target(name);
        if (File.Exists(target) && !overwrite)
        {
            return UploadOutcome.Exists;
        }
        var temp = $"{target}.upload-{Guid.NewGuid():N}.partial";
        try
        {
            long written = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    written += read;
                    if (written > MaxBytes)
                    {
                        return UploadOutcome.TooLarge;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (written == 0)
            {
                return UploadOutcome.Empty;
            }
            // Opened by a helper process: a hostile upload can crash or exhaust that, not the Web.
            if (await helpers.CheckHdf5Async(temp, name, cancellationToken) is { } problem)
            {
                return UploadOutcome.NotHdf5(problem);
            }
            File.Move(temp, target, overwrite);
            return UploadOutcome.Saved;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

/// <summary>How an upload ended; <see cref="Problem"/> says why a file was refused.</summary>
internal sealed record UploadOutcome(string Kind, string? Problem = null)
{
    public static readonly UploadOutcome Saved = new("saved");
    public static readonly UploadOutcome Exists = new("exists");
    public static readonly UploadOutcome TooLarge = new("too-large");
    public static readonly UploadOutcome Empty = new("empty");

    public static UploadOutcome NotHdf5(string problem) => new("not-hdf5", problem);
}
