namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// The chunk shape h5py picks when a dataset is compressed or resizable and the script gives no
/// <c>chunks=</c> (h5py's <c>filters.guess_chunk</c>, from PyTables): aim at 16 KB × 2^log10(MB of
/// data), clamped to 8 KB–1 MB, by halving the axes in turn, first axis first. For image stacks this
/// cuts rows and columns long before it gets to the image axis, which is why such files read badly
/// under shuffling; the bench writes them to measure exactly that.
/// </summary>
public static class H5pyChunkGuess
{
    private const double ChunkBase = 16 * 1024;
    private const double ChunkMin = 8 * 1024;
    private const double ChunkMax = 1024 * 1024;

    public static ulong[] For(IReadOnlyList<ulong> shape, int typeSize)
    {
        ArgumentOutOfRangeException.ThrowIfZero(shape.Count);
        // Unlimited (zero-length) axes count as 1024, as in h5py.
        var chunks = shape.Select(x => x == 0 ? 1024.0 : x).ToArray();
        double datasetBytes = chunks.Aggregate(1.0, (a, b) => a * b) * typeSize;
        double target = Math.Clamp(ChunkBase * Math.Pow(2, Math.Log10(datasetBytes / (1024.0 * 1024))), ChunkMin, ChunkMax);
        for (int index = 0; ; index++)
        {
            double elements = chunks.Aggregate(1.0, (a, b) => a * b);
            double chunkBytes = elements * typeSize;
            if ((chunkBytes < target || Math.Abs(chunkBytes - target) / target < 0.5) && chunkBytes < ChunkMax)
            {
                break;
            }
            if (elements == 1)
            {
                break; // one element is already larger than the maximum chunk
            }
            int axis = index % chunks.Length;
            chunks[axis] = Math.Ceiling(chunks[axis] / 2.0);
        }
        return chunks.Select(c => (ulong)c).ToArray();
    }
}
