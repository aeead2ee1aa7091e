using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// Per-channel mean and standard deviation of a split's rescaled pixels, from one streaming pass,
/// cached as a small JSON file keyed by the file's path, size and modification time, the dataset,
/// the rows and the rescale — a 27 GB pass is paid once per file, not once per job.
/// </summary>
internal sealed record ChannelStatistics(float[] Mean, float[] Std)
{
    private const long ReadBytes = 8L * 1024 * 1024;

    /// <summary><c>$XDG_CACHE_HOME/webtrainer/channel-stats</c>, else under the user's home.</summary>
    public static string DefaultCacheFolder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }
            return Path.Combine(root, "webtrainer", "channel-stats");
        }
    }

    public static ChannelStatistics GetOrCompute(SplitData split, float rescale, string cacheFolder, CancellationToken cancellationToken,
        Action<int>? blockRead = null)
    {
        var cacheFile = Path.Combine(cacheFolder, CacheKey(split, rescale) + ".json");
        try
        {
            if (File.Exists(cacheFile) && JsonSerializer.Deserialize<ChannelStatistics>(File.ReadAllText(cacheFile)) is { } cached
                && cached.Mean.Length == split.Images.Channels && cached.Std.Length == split.Images.Channels)
            {
                return cached;
            }
        }
        catch (JsonException)
        {
            // A damaged cache entry is recomputed and overwritten.
        }
        var computed = Compute(split, rescale, cancellationToken, blockRead);
        try
        {
            Directory.CreateDirectory(cacheFolder);
            var temp = cacheFile + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(computed));
            File.Move(temp, cacheFile, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No writable cache: the statistics are still right, just not remembered.
        }
        return computed;
    }

    /// <param name="blockRead">Told the index of each block of rows read: a pass over a large split takes minutes, and its run's heartbeat must go on.</param>
    public static ChannelStatistics Compute(SplitData split, float rescale, CancellationToken cancellationToken, Action<int>? blockRead = null)
    {
        var images = split.Images;
        int channels = images.Channels, plane = images.Height * images.Width;
        var sum = new double[channels];
        var squares = new double[channels];
        var decoder = new PixelDecoder(ImageGeometryInfo.Of(images), rescale);
        int rowsPerRead = (int)Math.Max(1, ReadBytes / images.RowBytes);
        var raw = ArrayPool<byte>.Shared.Rent((int)(rowsPerRead * images.RowBytes));
        var chw = ArrayPool<float>.Shared.Rent(channels * plane);
        try
        {
            using var reader = images.OpenReader();
            var rows = split.Rows;
            for (int start = 0; start < rows.Length; start += rowsPerRead)
            {
                cancellationToken.ThrowIfCancellationRequested();
                blockRead?.Invoke(start / rowsPerRead);
                var batch = rows.AsSpan(start, Math.Min(rowsPerRead, rows.Length - start));
                images.ReadRows(reader, batch, raw.AsSpan(0, (int)(batch.Length * images.RowBytes)));
                for (int i = 0; i < batch.Length; i++)
                {
                    decoder.Decode(raw.AsSpan((int)(i * images.RowBytes), (int)images.RowBytes), chw);
                    for (int c = 0; c < channels; c++)
                    {
                        double s = 0, q = 0;
                        foreach (var v in chw.AsSpan(c * plane, plane))
                        {
                            s += v;
                            q += (double)v * v;
                        }
                        sum[c] += s;
                        squares[c] += q;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<float>.Shared.Return(chw);
        }
        double count = (double)split.Rows.Length * plane;
        var mean = new float[channels];
        var std = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double m = sum[c] / count;
            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(Math.Max(squares[c] / count - m * m, 0));
        }
        return new ChannelStatistics(mean, std);
    }

    private static string CacheKey(SplitData split, float rescale)
    {
        var info = new FileInfo(split.Images.File);
        var key = new StringBuilder()
            .Append(info.FullName).Append('|').Append(info.Length).Append('|')
            .Append(info.LastWriteTimeUtc.Ticks).Append('|').Append(split.Images.Path).Append('|')
            .Append(rescale.ToString("R", CultureInfo.InvariantCulture)).Append('|').Append(split.Rows.Length).Append('|');
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(key.ToString()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(split.Rows.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset())[..24].ToLowerInvariant();
    }
}
