using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Data.Sampling;

/// <summary>Picks the sampler for a sampling mode and sizes chunked sampling's blocks from the storage.</summary>
internal static class SamplerFactory
{
    public static ISampler Create(string mode, SplitData split, LoaderOptions options) => mode switch
    {
        SamplingModes.Random => new RandomSampler(split.Count, options.Seed),
        SamplingModes.Chunked => new ChunkedSampler(split.Rows, BlockRows(split.Images.RowsPerChunk, split.Images.RowBytes,
            options.BlockTargetBytes), options.ShuffleWindowBlocks, options.Seed),
        SamplingModes.Sequential => new SequentialSampler(split.Count),
        _ => throw new ArgumentException($"unknown sampling mode '{mode}'; use one of {string.Join(", ", SamplingModes.All)}", nameof(mode)),
    };

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
