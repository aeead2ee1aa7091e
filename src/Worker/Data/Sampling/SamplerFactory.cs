using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Sampling;

/// <summary>Picks the sampler for a sampling mode and sizes chunked sampling's blocks from the storage.</summary>
internal static class SamplerFactory
{
    public static ISampler Create(string mode, SplitData split, LoaderOptions options) => mode switch
    {
        SamplingModes.Random => new RandomSampler(split.Count, options.Seed),
        SamplingModes.Chunked => Chunked(split, options),
        SamplingModes.Sequential => new SequentialSampler(split.Count),
        _ => throw new ArgumentException($"unknown sampling mode '{mode}'; use one of {string.Join(", ", SamplingModes.All)}", nameof(mode)),
    };

    private static ChunkedSampler Chunked(SplitData split, LoaderOptions options)
    {
        var images = split.Images;
        long blockRows = BlockRows(images.RowsPerChunk, images.RowBytes, options.BlockTargetBytes);
        int window = WindowBlocks(ChunkGrid.Of(images.Shape, images.Storage, images.BytesPerValue), blockRows,
            options.ShuffleWindowBlocks, ImageDataset.ChunkCacheBytesPerReader);
        return new ChunkedSampler(split.Rows, blockRows, window, options.Seed);
    }

    /// <summary>
    /// The shuffle window, at most <paramref name="requested"/> blocks, cut to what a reader's chunk
    /// cache holds when chunks must be decoded: a window's batches then decode each of its chunks once
    /// instead of re-decoding them for every batch (a window of 8 blocks of 15 MB chunk rows against a
    /// 32 MB cache read every chunk row 8 times per window). Reads that need no decode keep the window.
    /// </summary>
    public static int WindowBlocks(ChunkGrid? grid, long blockRows, int requested, long cacheBytes)
    {
        if (grid is null)
        {
            return requested;
        }
        long chunksPerBlock = Math.Max(1, blockRows / grid.RowsPerChunk) * grid.InnerChunks;
        long capacity = ChunkCache.CapacityFor(grid.ChunkBytes, cacheBytes);
        return (int)Math.Clamp(capacity / chunksPerBlock, 1, requested);
    }

    /// <summary>
    /// Whole chunks (a contiguous dataset counts as one-row chunks), as many as make a block of
    /// about <paramref name="targetBytes"/>, so a block is read in one go.
    /// </summary>
    public static long BlockRows(long? rowsPerChunk, long rowBytes, long targetBytes)
    {
        long chunk = Math.Max(1, rowsPerChunk ?? 1);
        long chunks = Math.Max(1, (long)Math.Round((double)targetBytes / (chunk * rowBytes)));
        return chunk * chunks;
    }
}
