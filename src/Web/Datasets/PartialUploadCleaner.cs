using Microsoft.Extensions.Options;
using WebTrainer.Shared.Files;

namespace WebTrainer.Web.Datasets;

/// <summary>
/// Deletes the temporary files of uploads that never finished (the Web was killed mid-upload, the disk
/// filled): at start and then every <see cref="UploadOptions.PartialSweepInterval"/>. A file goes when it
/// has not been written for <see cref="UploadOptions.PartialMaxAge"/> and no upload in this process writes
/// it; an upload through another Web instance keeps writing, so its file stays younger than that age.
/// </summary>
internal sealed partial class PartialUploadCleaner(
    DataRoots roots, DatasetUploader uploader, IOptions<UploadOptions> options, ILogger<PartialUploadCleaner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PartialSweepInterval);
        do
        {
            try
            {
                await Task.Run(Sweep, stoppingToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes the stale partial uploads under every data root; returns how many went.</summary>
    internal int Sweep()
    {
        var cutoff = DateTime.UtcNow - options.Value.PartialMaxAge;
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 8 };
        var deleted = 0;
        foreach (var root in roots.Roots.Where(Directory.Exists))
        {
            foreach (var file in new DirectoryInfo(root).EnumerateFiles(DatasetUploader.PartialPattern, enumeration))
            {
                if (file.LinkTarget is not null || file.LastWriteTimeUtc > cutoff || uploader.IsWriting(file.FullName))
                {
                    continue;
                }
                try
                {
                    file.Delete();
                    deleted++;
                    LogDeleted(logger, file.FullName, file.LastWriteTimeUtc);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogNotDeleted(logger, file.FullName, ex.Message);
                }
            }
        }
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the stale partial upload {Path} (last written {LastWrite:u})")]
    private static partial void LogDeleted(ILogger logger, string path, DateTime lastWrite);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the stale partial upload {Path}: {Reason}")]
    private static partial void LogNotDeleted(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Searching the data roots for stale partial uploads failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
