using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Sampling;

/// <summary>
/// What each sampling mode costs on a dataset's storage, in bytes of chunks read and decoded per
/// image. It replays the batches the samplers hand out against the chunk grid and the readers'
/// chunk caches, the way <see cref="ChunkedRowReader"/> serves them: a batch decodes each chunk it
/// touches once; an image spans every chunk of its chunk row (the chunks along axis 0 that hold
/// it); a reader's cache keeps the most recently used chunk rows that fit into it whole.
/// Contiguous data, and unfiltered chunks holding whole images, read only the images asked for.
/// </summary>
internal static class ReadCostModel
{
    /// <summary>Above this many times the image bytes the best shuffling mode gets a warning.</summary>
    public const double WarnRatio = 4;

    /// <summary>Batches replayed per mode: enough for caches to settle, cheap enough for every inspect.</summary>
    private const int MaxBatches = 512;

    /// <summary>Rows the order-replaying samplers are built over; their patterns are local, so a prefix shows them.</summary>
    private const int MaxSamplerRows = 1 << 20;

    public static ReadCosts Estimate(IReadOnlyList<ulong> shape, StorageLayout? storage, int elementSize,
        int batchSize = 64, int readers = 2, long cacheBytesPerReader = ImageDataset.ChunkCacheBytesPerReader,
        long blockTargetBytes = 2L * 1024 * 1024, int windowBlocks = 8)
    {
        long imageBytes = elementSize;
        for (int d = 1; d < shape.Count; d++)
        {
            imageBytes *= (long)shape[d];
        }
        long count = (long)shape[0];
        // An empty dataset reads nothing; a chunk geometry that cannot be computed is left to the reader to refuse.
        var grid = count == 0 ? null : ChunkGrid.Of(shape, storage, elementSize);
        var modes = new[] { SamplingModes.Random, SamplingModes.Chunked, SamplingModes.Sequential };
        var costs = modes.Select(mode =>
        {
            double perImage = grid is null
                ? imageBytes
                : Replay(mode, count, grid, imageBytes, Math.Max(1, batchSize), Math.Max(1, readers), cacheBytesPerReader, blockTargetBytes, windowBlocks);
            return new SamplingCost { Mode = mode, BytesPerImage = (long)Math.Round(perImage), Ratio = Math.Round(perImage / imageBytes, 2) };
        }).ToList();
        return new ReadCosts(imageBytes, costs, grid, shape);
    }

    /// <summary>The costs for an opened dataset, with the loader settings a run will use.</summary>
    public static ReadCosts Estimate(ImageDataset images, int batchSize, int readers) =>
        Estimate(images.Shape, images.Storage, images.BytesPerValue, batchSize, readers);

    /// <summary>The costs for one dataset of a file, from its metadata only (no chunk index, no pixels).</summary>
    public static ReadCosts Estimate(string file, string dataset, int batchSize, int readers = 2)
    {
        using var h5 = Hdf5Files.Open(file);
        var data = Hdf5Files.Dataset(h5, file, dataset);
        var pixelType = ImageGeometry.PixelTypeOf(data.Type);
        int elementSize = pixelType switch { PixelType.UInt8 => 1, PixelType.Float16 => 2, _ => 4 };
        return Estimate(data.Space.Dimensions, PureHdfInternals.Layout(data), elementSize, batchSize, readers);
    }

    /// <summary>The mode a run uses: <paramref name="requested"/>, or for <c>auto</c> the cheaper shuffle.</summary>
    public static string Resolve(string requested, ReadCosts costs) => requested == SamplingModes.Auto ? costs.Auto : requested;

    private static double Replay(string mode, long count, ChunkGrid grid, long imageBytes, int batchSize, int readers,
        long cacheBytes, long blockTargetBytes, int windowBlocks)
    {
        int capacity = ChunkCache.CapacityFor(grid.ChunkBytes, cacheBytes);
        int rowsCached = grid.InnerChunks <= capacity ? (int)(capacity / grid.InnerChunks) : 0;
        var caches = Enumerable.Range(0, readers).Select(_ => new LinkedList<long>()).ToArray();
        long rowBytes = grid.InnerChunks * grid.ChunkBytes;
        double decoded = 0;
        long images = 0;
        int batchIndex = 0;
        foreach (var batch in Batches(mode, count, grid, imageBytes, batchSize, blockTargetBytes, windowBlocks, cacheBytes))
        {
            var cache = caches[batchIndex++ % readers];
            Array.Sort(batch);
            long previous = -1;
            foreach (var row in batch)
            {
                long chunkRow = row / grid.RowsPerChunk;
                if (chunkRow == previous)
                {
                    continue;
                }
                previous = chunkRow;
                if (!Touch(cache, chunkRow, rowsCached))
                {
                    decoded += rowBytes;
                }
            }
            images += batch.Length;
        }
        return images == 0 ? imageBytes : decoded / images;
    }

    /// <summary>LRU over chunk rows: true when <paramref name="chunkRow"/> was still cached.</summary>
    private static bool Touch(LinkedList<long> cache, long chunkRow, int capacity)
    {
        if (capacity == 0)
        {
            return false;
        }
        var node = cache.Find(chunkRow);
        if (node is not null)
        {
            cache.Remove(node);
            cache.AddFirst(node);
            return true;
        }
        cache.AddFirst(chunkRow);
        if (cache.Count > capacity)
        {
            cache.RemoveLast();
        }
        return false;
    }

    private static long[] ChunkedOrder(int rows, ChunkGrid grid, long imageBytes, long blockTargetBytes, int windowBlocks, long cacheBytes)
    {
        long blockRows = SamplerFactory.BlockRows(grid.RowsPerChunk, imageBytes, blockTargetBytes);
        int window = SamplerFactory.WindowBlocks(grid, blockRows, windowBlocks, cacheBytes);
        return new ChunkedSampler(new RowRange(rows), blockRows, window, 0x5EED).EpochOrder(0);
    }

    private static IEnumerable<long[]> Batches(string mode, long count, ChunkGrid grid, long imageBytes, int batchSize,
        long blockTargetBytes, int windowBlocks, long cacheBytes)
    {
        if (mode == SamplingModes.Random && count > MaxSamplerRows)
        {
            // A permutation's batches are uniform draws without replacement; over a huge dataset draw them directly.
            var random = new SplitMix64(0x5EED);
            for (int b = 0; b < MaxBatches; b++)
            {
                var batch = new HashSet<long>();
                while (batch.Count < Math.Min(batchSize, count))
                {
                    batch.Add((long)(random.NextDouble() * count));
                }
                yield return [.. batch];
            }
            yield break;
        }
        int rows = (int)Math.Min(count, MaxSamplerRows);
        long[] order = mode switch
        {
            SamplingModes.Random => new RandomSampler(rows, 0x5EED).EpochOrder(0),
            SamplingModes.Chunked => ChunkedOrder(rows, grid, imageBytes, blockTargetBytes, windowBlocks, cacheBytes),
            _ => new SequentialSampler(rows).EpochOrder(0),
        };
        for (int start = 0, b = 0; start < order.Length && b < MaxBatches; start += batchSize, b++)
        {
            yield return order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
        }
    }

    /// <summary>0..count-1 without an array.</summary>
    private sealed class RowRange(int count) : IReadOnlyList<long>
    {
        public long this[int index] => index;
        public int Count => count;
        public IEnumerator<long> GetEnumerator()
        {
            for (long i = 0; i < count; i++)
            {
                yield return i;
            }
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>The chunk geometry that read costs depend on; null from <see cref="Of"/> when reads touch only the images asked for.</summary>
internal sealed record ChunkGrid(long RowsPerChunk, long InnerChunks, long ChunkBytes, IReadOnlyList<ulong> ChunkDims)
{
    public static ChunkGrid? Of(IReadOnlyList<ulong> shape, StorageLayout? storage, int elementSize)
    {
        if (storage is not { Class: StorageLayout.Chunked, ChunkDims: { } dims } || dims.Length != shape.Count || dims.Contains(0UL))
        {
            return null;
        }
        bool wholeImages = Enumerable.Range(1, shape.Count - 1).All(d => dims[d] >= shape[d]);
        if (wholeImages && storage.Filters.Count == 0)
        {
            return null; // read straight from the file, only the rows asked for
        }
        try
        {
            long inner = 1, chunkBytes = checked(elementSize * (long)dims[0]);
            for (int d = 1; d < shape.Count; d++)
            {
                inner = checked(inner * (long)((shape[d] + dims[d] - 1) / dims[d]));
                chunkBytes = checked(chunkBytes * (long)dims[d]);
            }
            return new ChunkGrid((long)dims[0], inner, chunkBytes, dims);
        }
        catch (OverflowException)
        {
            return null; // a declared geometry no file can hold; opening the dataset for reading refuses it
        }
    }
}

/// <summary>Each sampling mode's cost on one dataset, and what follows from them.</summary>
internal sealed record ReadCosts(long ImageBytes, IReadOnlyList<SamplingCost> Modes, ChunkGrid? Grid, IReadOnlyList<ulong> Shape)
{
    public SamplingCost Of(string mode) => Modes.First(m => m.Mode == mode);

    /// <summary>
    /// Random unless chunk-aware shuffling reads at most half as much: random is the better
    /// shuffle, so it wins ties and near-ties.
    /// </summary>
    public string Auto => Of(SamplingModes.Chunked).Ratio * 2 <= Of(SamplingModes.Random).Ratio ? SamplingModes.Chunked : SamplingModes.Random;

    /// <summary>The cheaper shuffling mode's cost (sequential does not shuffle, so it is never "best").</summary>
    public SamplingCost Best => Of(Auto);

    public string Describe() => string.Join(", ", Modes.Select(m => $"{m.Mode} {m.Ratio:0.##}×"));

    /// <summary>A warning with the fix when even the best shuffling mode reads more than <see cref="ReadCostModel.WarnRatio"/>× the image bytes.</summary>
    public string? Warning(string dataset)
    {
        if (Grid is null || Best.Ratio <= ReadCostModel.WarnRatio)
        {
            return null;
        }
        var wholeImage = string.Join("x", new[] { 1UL }.Concat(Shape.Skip(1)));
        return $"{dataset}: every shuffling mode reads at least {Best.Ratio:0.#}× each image's bytes: its chunks " +
            $"({string.Join(",", Grid.ChunkDims)}) hold {Grid.RowsPerChunk} images each and one image spans {Grid.InnerChunks} of them. " +
            $"Rewrite the file with whole images per chunk: \"Optimise for training\" on the Datasets page (POST /api/datasets/optimize), " +
            $"or h5repack -l {dataset}:CHUNK={wholeImage} in.h5 out.h5";
    }
}
