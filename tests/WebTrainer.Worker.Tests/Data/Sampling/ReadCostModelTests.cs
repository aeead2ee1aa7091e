using PureHDF;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Tests.Data.Sampling;

/// <summary>
/// The read-cost figures the inspector shows and <c>sampling: "auto"</c> decides by: checked against
/// what the real chunk reader decodes for the same batches, and on the layouts users have.
/// </summary>
public sealed class ReadCostModelTests : IDisposable
{
    private static readonly FilterStep Deflate = new(ChunkDecoder.Deflate, "deflate", [4]);
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Contiguous_ReadsOnlyTheImages_InEveryMode()
    {
        var costs = ReadCostModel.Estimate([5000, 32, 32, 3], new StorageLayout { Class = StorageLayout.Contiguous }, 1);

        Assert.All(costs.Modes, m => Assert.Equal(1.0, m.Ratio));
        Assert.Equal(SamplingModes.Random, costs.Auto);
        Assert.Null(costs.Warning("train_img"));
    }

    [Theory]
    [InlineData(new ulong[] { 0, 32, 32, 3 }, new ulong[] { 1, 32, 32, 3 })] // an empty dataset
    [InlineData(new ulong[] { 5000, 32, 32, 3 }, new ulong[] { 1, 0, 32, 3 })] // a zero chunk extent
    [InlineData(new ulong[] { 5000, 32, 32, 3 }, new ulong[] { ulong.MaxValue / 2, 1UL << 40, 1UL << 40, 3 })] // chunk bytes overflow
    public void ImpossibleGeometry_IsNoCrash_AndCostsTheImages(ulong[] shape, ulong[] chunks)
    {
        var costs = ReadCostModel.Estimate(shape, Chunked(chunks, Deflate), 1);

        Assert.All(costs.Modes, m => Assert.Equal(1.0, m.Ratio));
        Assert.Null(costs.Warning("train_img"));
    }

    [Fact]
    public void OneCompressedImagePerChunk_ReadsOnlyTheImages_AndAutoShufflesFully()
    {
        var costs = ReadCostModel.Estimate([5000, 32, 32, 3], Chunked([1, 32, 32, 3], Deflate), 1);

        Assert.Equal(1.0, costs.Of(SamplingModes.Random).Ratio);
        Assert.Equal(SamplingModes.Random, costs.Auto);
        Assert.Null(costs.Warning("train_img"));
    }

    [Fact]
    public void ChunksOfManyWholeImages_AutoPicksChunkAware_WhichReadsFarLess()
    {
        // 32 compressed images per chunk, 150 MB in all (the readers' caches hold a fifth): a random
        // batch decodes a 32-image chunk for most of its images.
        var costs = ReadCostModel.Estimate([200_000, 16, 16, 3], Chunked([32, 16, 16, 3], Deflate), 1);

        Assert.InRange(costs.Of(SamplingModes.Random).Ratio, 20, 32);
        Assert.InRange(costs.Of(SamplingModes.Chunked).Ratio, 1, 3);
        Assert.Equal(SamplingModes.Chunked, costs.Auto);
        Assert.Null(costs.Warning("train_img"));
    }

    [Fact]
    public void Food101sGuessedChunks_WarnWithTheFix()
    {
        // h5py's guess for [70700,299,299,3] uint8 with compression: one image spans 1440 chunks of 420 KB.
        var costs = ReadCostModel.Estimate([70700, 299, 299, 3], Chunked([2210, 10, 19, 1], Deflate), 1);

        // Even chunk-aware batches (one chunk row of 2210 images per window) decode 600 MB per 64 images.
        Assert.True(costs.Best.Ratio > 30, costs.Describe());
        Assert.True(costs.Of(SamplingModes.Random).Ratio > 500, costs.Describe());
        var warning = costs.Warning("train_img");
        Assert.NotNull(warning);
        Assert.Contains("chunks (2210,10,19,1) hold 2210 images each and one image spans 1440 of them", warning, StringComparison.Ordinal);
        Assert.Contains("Optimise for training", warning, StringComparison.Ordinal);
        Assert.Contains("h5repack -l train_img:CHUNK=1x299x299x3", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SamplingModes.Random, new uint[] { 50, 4, 4, 1 })]
    [InlineData(SamplingModes.Chunked, new uint[] { 50, 4, 4, 1 })]
    [InlineData(SamplingModes.Sequential, new uint[] { 50, 4, 4, 1 })]
    [InlineData(SamplingModes.Random, new uint[] { 16, 16, 16, 3 })]
    [InlineData(SamplingModes.Chunked, new uint[] { 16, 16, 16, 3 })]
    [InlineData(SamplingModes.Random, new uint[] { 7, 8, 16, 3 })]
    public void Model_AgreesWithWhatTheChunkReaderDecodes_ForTheSameBatches(string mode, uint[] chunks)
    {
        // A cache of 64 KB (the file holds 900 KB) so that chunks are evicted and re-read.
        const int count = 1200, batch = 64, cacheBytes = 64 * 1024;
        var path = _temp.File($"cost-{mode}-{string.Join("x", chunks)}.h5");
        new H5File { ["train_img"] = TestFiles.Images(TestFiles.Bytes(count * 16 * 16 * 3, 3), [count, 16, 16, 3], chunks, TestFiles.Deflate) }.Write(path);
        var images = ImageDataset.Open(path, "train_img", cacheBytes);
        var predicted = ReadCostModel.Estimate(images.Shape, images.Storage, 1, batch, readers: 1, cacheBytesPerReader: cacheBytes).Of(mode);

        // The batches the model replays (its samplers use seed 0x5EED), read by one real reader.
        long[] order = mode switch
        {
            SamplingModes.Random => new RandomSampler(count, 0x5EED).EpochOrder(0),
            SamplingModes.Chunked => ChunkedOrder(images, chunks[0], count, cacheBytes),
            _ => new SequentialSampler(count).EpochOrder(0),
        };
        using var reader = (ChunkedRowReader)images.OpenReader();
        var destination = new byte[batch * images.RowBytes];
        for (int start = 0; start < count; start += batch)
        {
            var rows = order.AsSpan(start, Math.Min(batch, count - start)).ToArray();
            Array.Sort(rows);
            images.ReadRows(reader, rows, destination);
        }
        double measured = (double)reader.ChunkBytesDecoded / count;

        Assert.InRange(predicted.BytesPerImage, measured * 0.95, measured * 1.05);
        if (mode != SamplingModes.Sequential)
        {
            // Sequential reads stay in one chunk row, which fits the cache; the shuffles here re-read chunks.
            Assert.True(measured > images.RowBytes * 1.5, $"the case should cost more than the images ({measured / images.RowBytes:F2}×)");
        }
    }

    private static long[] ChunkedOrder(ImageDataset images, long rowsPerChunk, int count, long cacheBytes)
    {
        long blockRows = SamplerFactory.BlockRows(rowsPerChunk, images.RowBytes, 2L * 1024 * 1024);
        int window = SamplerFactory.WindowBlocks(ChunkGrid.Of(images.Shape, images.Storage, 1), blockRows, 8, cacheBytes);
        return new ChunkedSampler(Enumerable.Range(0, count).Select(i => (long)i).ToArray(), blockRows, window, 0x5EED).EpochOrder(0);
    }

    [Fact]
    public void ChunkAwareWindow_ShrinksToWhatTheCacheHolds_OnlyWhenChunksMustBeDecoded()
    {
        // Chunk rows of 15 MB (1250 images of 64x64x3 in 192 chunks): a 32 MB cache holds two of them.
        var grid = ChunkGrid.Of([20000, 64, 64, 3], Chunked([1250, 8, 8, 1], Deflate), 1)!;
        Assert.Equal(2, SamplerFactory.WindowBlocks(grid, 1250, 8, 32L * 1024 * 1024));
        Assert.Equal(8, SamplerFactory.WindowBlocks(grid, 1250, 8, 1L << 30));
        Assert.Equal(1, SamplerFactory.WindowBlocks(ChunkGrid.Of([70700, 299, 299, 3], Chunked([2210, 10, 19, 1], Deflate), 1), 2210, 8, 32L * 1024 * 1024));
        Assert.Equal(8, SamplerFactory.WindowBlocks(ChunkGrid.Of([20000, 64, 64, 3], Chunked([16, 64, 64, 3]), 1), 160, 8, 32L * 1024 * 1024));
    }

    private static StorageLayout Chunked(ulong[] chunks, params FilterStep[] filters) => new()
    {
        Class = StorageLayout.Chunked, ChunkDims = chunks, Index = ChunkIndexKind.FixedArray, Filters = filters,
    };

    public void Dispose() => _temp.Dispose();
}
