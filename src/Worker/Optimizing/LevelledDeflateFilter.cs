using System.IO.Compression;
using PureHDF.Filters;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// HDF5's deflate filter (id 1) at any zlib level 0–9. PureHDF 2.2.0's own deflate takes only levels
/// 0, 1 and 9; registered in its place, this one lets the optimiser's skeleton record any level in
/// the filter pipeline (the optimiser compresses the chunks itself, with the same zlib settings),
/// and compresses and decompresses as PureHDF does for anything else that uses PureHDF's pipeline.
/// </summary>
internal sealed class LevelledDeflateFilter : IH5Filter
{
    public const string LevelOption = DeflateFilter.COMPRESSION_LEVEL;

    private static readonly Lock Gate = new();
    private static bool _registered;

    public ushort FilterId => DeflateFilter.Id;

    public string Name => "deflate";

    /// <summary>Puts this filter in PureHDF's (process-wide) registry, once.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (!_registered)
            {
                H5Filter.Register(new LevelledDeflateFilter());
                _registered = true;
            }
        }
    }

    public Memory<byte> Filter(FilterInfo info)
    {
        if (info.Flags.HasFlag(H5FilterFlags.Decompress))
        {
            using var source = new MemoryStream(info.Buffer.ToArray(), writable: false);
            using var decompressed = new MemoryStream(info.ChunkSize);
            using (var zlib = new ZLibStream(source, CompressionMode.Decompress))
            {
                zlib.CopyTo(decompressed);
            }
            return decompressed.GetBuffer().AsMemory(0, (int)decompressed.Length);
        }
        int level = info.Parameters.Length > 0 ? (int)info.Parameters[0] : 6;
        using var compressed = new MemoryStream(info.ChunkSize);
        using (var zlib = new ZLibStream(compressed, new ZLibCompressionOptions { CompressionLevel = Math.Clamp(level, 0, 9) }, leaveOpen: true))
        {
            zlib.Write(info.Buffer.Span);
        }
        return compressed.GetBuffer().AsMemory(0, (int)compressed.Length);
    }

    public uint[] GetParameters(uint[] chunkDimensions, uint typeSize, Dictionary<string, object>? options)
    {
        int level = options is not null && options.TryGetValue(LevelOption, out var value) && value is int given ? given : 6;
        if (level is < 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(options), level, "the deflate level must be 0..9");
        }
        return [(uint)level];
    }
}
