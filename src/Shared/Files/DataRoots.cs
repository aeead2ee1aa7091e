using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace WebTrainer.Shared.Files;

/// <summary>
/// Resolves user-given relative file names inside the configured data roots. Absolute names,
/// <c>..</c> and symbolic links that lead outside every root are refused.
/// </summary>
public sealed partial class DataRoots(IOptions<DataRootOptions> options)
{
    private readonly Lazy<IReadOnlyList<string>> _roots = new(() =>
        options.Value.Roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => RealPath(r) ?? Path.GetFullPath(r)).ToList());

    /// <summary>Linux's NAME_MAX: a longer file or folder name fails in the file system, not here.</summary>
    public const int MaxSegmentBytes = 255;

    public const int MaxNameChars = 1024;

    public IReadOnlyList<string> Roots => _roots.Value;

    /// <summary>The full path of an existing file named relative to a root (first root that has it).</summary>
    public string ResolveExisting(string relative)
    {
        foreach (var candidate in Candidates(relative))
        {
            if (File.Exists(candidate))
            {
                return Contained(relative, candidate);
            }
        }
        throw new DataPathException(relative, "no such file in the data roots");
    }

    /// <summary>Where a new file of that name would go in <paramref name="rootIndex"/>; checked like an existing one.</summary>
    public string ResolveNew(string relative, int rootIndex = 0)
    {
        var candidates = Candidates(relative).ToList();
        if (rootIndex < 0 || rootIndex >= candidates.Count)
        {
            throw new DataPathException(relative, $"there is no data root number {rootIndex}");
        }
        var candidate = candidates[rootIndex];
        var folder = Path.GetDirectoryName(candidate)!;
        if (!Directory.Exists(folder))
        {
            throw new DataPathException(relative, "the folder does not exist in the data root");
        }
        Contained(relative, Path.Combine(RealPath(folder) ?? folder, Path.GetFileName(candidate)));
        if (File.Exists(candidate))
        {
            Contained(relative, candidate);
        }
        return candidate;
    }

    /// <summary>
    /// The roots other than <paramref name="rootIndex"/> that already hold a file named <paramref name="relative"/>:
    /// a new file of that name in <paramref name="rootIndex"/> would hide theirs, or be hidden, as
    /// <see cref="ResolveExisting"/> takes the first root that has the name.
    /// </summary>
    public IReadOnlyList<(int Root, string Path)> ExistingElsewhere(string relative, int rootIndex) =>
        Candidates(relative).Select((path, index) => (Root: index, Path: path))
            .Where(c => c.Root != rootIndex && File.Exists(c.Path)).ToList();

    /// <summary>The name of <paramref name="fullPath"/> relative to the root that holds it.</summary>
    public string RelativeName(string fullPath)
    {
        foreach (var root in Roots)
        {
            if (IsInside(fullPath, root))
            {
                return Path.GetRelativePath(root, fullPath);
            }
        }
        throw new DataPathException(fullPath, "is not inside a data root");
    }

    private IEnumerable<string> Candidates(string relative)
    {
        if (Roots.Count == 0)
        {
            throw new DataPathException(relative, "no data roots are configured (DataRoots__0=/path)");
        }
        if (string.IsNullOrWhiteSpace(relative))
        {
            throw new DataPathException(relative, "a file name is required");
        }
        if (relative.Contains('\0', StringComparison.Ordinal) || Path.IsPathRooted(relative) || relative.StartsWith('~'))
        {
            throw new DataPathException(relative, "must be relative to a data root, not an absolute path");
        }
        if (relative.Replace('\\', '/').Split('/').Any(segment => segment == ".."))
        {
            throw new DataPathException(relative, "'..' is not allowed: name files inside a data root");
        }
        if (relative.Length > MaxNameChars || relative.Split('/').Any(segment => System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes))
        {
            throw new DataPathException(relative, $"is too long: at most {MaxSegmentBytes} bytes per folder or file name and {MaxNameChars} characters in all");
        }
        if (relative.Any(char.IsControl))
        {
            throw new DataPathException(relative, "contains control characters");
        }
        return Roots.Select(root => Path.GetFullPath(Path.Combine(root, relative)));
    }

    private string Contained(string relative, string candidate)
    {
        var real = RealPath(candidate) ?? candidate;
        if (!Roots.Any(root => IsInside(real, root)))
        {
            throw new DataPathException(relative, "resolves (through a symbolic link) outside the data roots");
        }
        return real;
    }

    private static bool IsInside(string path, string root) =>
        path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static string? RealPath(string path)
    {
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
