using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Helpers;

namespace WebTrainer.Web.Datasets;

/// <summary>
/// Streams an uploaded HDF5 file to disk (never into memory) under a temporary name, checks that
/// it is a readable HDF5 file, then moves it into place. A refused or broken upload leaves nothing.
/// The uploader becomes the file's owner: only they or an admin may replace or delete it, and its bytes
/// count towards their quota. A name that exists in another data root is refused, as it would shadow that file.
/// </summary>
internal sealed class DatasetUploader(DataRoots roots, DatasetFileRepository files, IOptions<UploadOptions> options, HelperClient helpers)
{
    public static readonly string[] Extensions = [".h5", ".hdf5", ".hdf", ".he5"];

    /// <summary>How the temporary files of uploads are named; the stale-upload cleaner deletes only these.</summary>
    public const string PartialPattern = "*.upload-*.partial";

    private readonly ConcurrentDictionary<string, byte> _writing = new(StringComparer.Ordinal);

    /// <summary>Whether an upload in this process is writing <paramref name="partialPath"/> now.</summary>
    public bool IsWriting(string partialPath) => _writing.ContainsKey(partialPath);

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

    public async Task<UploadOutcome> SaveAsync(
        string name, Stream content, bool overwrite, UploadingUser user, long? declaredBytes, CancellationToken cancellationToken)
    {
        var target = Target(name);
        var (root, path) = Key(target);
        if (roots.ExistingElsewhere(name, Root) is [var other, ..])
        {
            return UploadOutcome.Refused("shadowed", string.Create(CultureInfo.InvariantCulture,
                $"'{name}' already exists in data root {other.Root} ({other.Path}); the same name in the upload root {Root} ({target}) " +
                $"would shadow it or be shadowed by it, so jobs could train on the other file: choose another name"));
        }
        if (File.Exists(target))
        {
            if (!overwrite)
            {
                return UploadOutcome.Exists;
            }
            if (await RefusalAsync(root, path, name, "overwrite", user, cancellationToken) is { } refusal)
            {
                return refusal;
            }
        }
        var allowance = MaxBytes;
        var quota = options.Value.QuotaBytesPerUser;
        long used = 0;
        var quotaApplies = quota > 0 && !(user.IsAdmin && options.Value.QuotaExemptsAdmins);
        if (quotaApplies)
        {
            used = await files.UsedBytesAsync(user.Id, root, path, cancellationToken);
            if (used + (declaredBytes ?? 0) > quota)
            {
                return OverQuota(name, used, quota, declaredBytes);
            }
            allowance = Math.Min(allowance, quota - used);
        }
        var temp = $"{target}.upload-{Guid.NewGuid():N}.partial";
        _writing[temp] = 0;
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
                    if (written > allowance)
                    {
                        return written > MaxBytes ? UploadOutcome.TooLarge : OverQuota(name, used, quota, written, soFar: true);
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
            await files.RecordAsync(root, path, user.Id, written, CancellationToken.None);
            return UploadOutcome.Saved;
        }
        finally
        {
            _writing.TryRemove(temp, out _);
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Deletes a dataset file its owner or an admin names; files nobody uploaded are the admins'.</summary>
    public async Task<UploadOutcome> DeleteAsync(string name, UploadingUser user, CancellationToken cancellationToken)
    {
        var fullPath = roots.ResolveExisting(name);
        if (!Extensions.Contains(Path.GetExtension(fullPath), StringComparer.OrdinalIgnoreCase))
        {
            throw new DataPathException(name, $"only HDF5 files ({string.Join(", ", Extensions)}) are deleted here");
        }
        var (root, path) = Key(fullPath);
        if (await RefusalAsync(root, path, name, "delete", user, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        File.Delete(fullPath);
        await files.DeleteAsync(root, path, CancellationToken.None);
        return UploadOutcome.Deleted;
    }

    /// <summary>The owner of a file as the datasets list shows it: an email, or "admins" for files nobody uploaded.</summary>
    public static string OwnerLabel(DatasetFileOwner? owner) =>
        owner is null ? AdminsLabel : owner.OwnerEmail ?? "a deleted user (admins only)";

    private const string AdminsLabel = "admins";

    /// <summary>Why <paramref name="user"/> may not <paramref name="action"/> the file, or null when they may.</summary>
    private async Task<UploadOutcome?> RefusalAsync(string root, string path, string name, string action, UploadingUser user, CancellationToken cancellationToken)
    {
        var owner = await files.GetAsync(root, path, cancellationToken);
        if (user.IsAdmin || (owner?.OwnerId is { } id && id == user.Id))
        {
            return null;
        }
        var whose = owner is null
            ? "the admins' (it was put into the data root, not uploaded)"
            : owner.OwnerEmail is { } email ? $"owned by {email}" : "owned by a deleted user, so only admins may change it";
        return UploadOutcome.Refused("forbidden", $"'{name}' is {whose}; only its owner or an admin may {action} it");
    }

    /// <summary><paramref name="adding"/>: the declared length, or (<paramref name="soFar"/>) the bytes counted when the limit was passed.</summary>
    private static UploadOutcome OverQuota(string name, long used, long quota, long? adding, bool soFar = false) =>
        UploadOutcome.Refused("over-quota", string.Create(CultureInfo.InvariantCulture,
            $"'{name}' would exceed your upload quota: you keep {used} bytes of uploaded files, the limit is {quota} bytes " +
            $"(Uploads:QuotaBytesPerUser){(adding is null ? "" : $", and this upload has {(soFar ? "at least " : "")}{adding} bytes")}; " +
            $"delete files you no longer need; nothing was kept"));

    /// <summary>The data root that holds <paramref name="fullPath"/> and its path inside it, as <c>dataset_files</c> names files.</summary>
    private (string Root, string Path) Key(string fullPath)
    {
        var root = roots.Roots.First(r => fullPath.StartsWith(r.EndsWith('/') ? r : r + "/", StringComparison.Ordinal));
        return (root, Path.GetRelativePath(root, fullPath));
    }
}

/// <summary>How an upload ended; <see cref="Problem"/> says why a file was refused.</summary>
internal sealed record UploadOutcome(string Kind, string? Problem = null)
{
    public static readonly UploadOutcome Saved = new("saved");
    public static readonly UploadOutcome Exists = new("exists");
    public static readonly UploadOutcome TooLarge = new("too-large");
    public static readonly UploadOutcome Empty = new("empty");
    public static readonly UploadOutcome Deleted = new("deleted");

    /// <summary>Refused before or while storing: "forbidden" (not the owner), "shadowed" (in another root) or "over-quota".</summary>
    public static UploadOutcome Refused(string kind, string problem) => new(kind, problem);

    public static UploadOutcome NotHdf5(string problem) => new("not-hdf5", problem);
}
