using System.Globalization;
using System.Security.Cryptography;

namespace WebTrainer.Shared.Files;

/// <summary>
/// Which bytes a job was validated against: size, modification time and a SHA-256 of the file's first
/// and last <see cref="EndBytes"/> bytes. Size and time alone miss a rewrite that keeps both (<c>cp -p</c>,
/// <c>rsync -t</c>, <c>touch -r</c>, a same-size overwrite inside the clock's granularity); an HDF5 file
/// keeps its superblock and root object header at the start and h5py's metadata and last chunks at the end,
/// so a different file almost always differs there. Two 64 KiB reads cost nothing even for a 27 GB file,
/// where a whole-content hash would take minutes at every submission.
/// </summary>
public sealed record DatasetFileIdentity(long SizeBytes, long ModifiedUnixNs, string EndsSha256)
{
    public const int EndBytes = 64 * 1024;

    /// <summary>The identity of the file at <paramref name="fullPath"/> now.</summary>
    public static DatasetFileIdentity Of(string fullPath)
    {
        using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = RandomAccess.GetLength(handle);
        // .NET reads st_mtim to 100 ns ticks: the nanoseconds recorded are that precise.
        var modified = (File.GetLastWriteTimeUtc(handle).Ticks - DateTime.UnixEpoch.Ticks) * 100;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[EndBytes];
        HashRange(handle, 0, (int)Math.Min(size, EndBytes), buffer, hash);
        if (size > EndBytes)
        {
            var tail = Math.Max(EndBytes, size - EndBytes);
            HashRange(handle, tail, (int)(size - tail), buffer, hash);
        }
        return new DatasetFileIdentity(size, modified, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Null when <paramref name="now"/> is the same file; else why not, in the words a job's error uses.</summary>
    public string? Difference(DatasetFileIdentity now, string name)
    {
        if (now == this)
        {
            return null;
        }
        var ends = now.SizeBytes == SizeBytes && now.ModifiedUnixNs == ModifiedUnixNs ? ", and its first or last 64 KiB differ" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"dataset file {name} changed since this job was validated (size {SizeBytes} → {now.SizeBytes} bytes, " +
            $"modified {Time(ModifiedUnixNs)} → {Time(now.ModifiedUnixNs)}{ends}); submit it again to validate the new file");
    }

    private static string Time(long unixNs) =>
        new DateTime(DateTime.UnixEpoch.Ticks + unixNs / 100, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.fffffff 'UTC'", CultureInfo.InvariantCulture);

    private static void HashRange(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, int count, byte[] buffer, IncrementalHash hash)
    {
        var done = 0;
        while (done < count)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(done, count - done), offset + done);
            if (read == 0)
            {
                break; // the file shrank while being read: the hash then differs from any later reading
            }
            done += read;
        }
        hash.AppendData(buffer, 0, done);
    }
}
