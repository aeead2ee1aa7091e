using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Tests.Data.Sampling;

public sealed class SamplerTests
{
    [Fact]
    public void ChunkedSampler_KeepsBlocksTogetherWithinAWindow()
    {
        var rows = Enumerable.Range(0, 100).Select(i => (long)i).ToArray();
        var sampler = new ChunkedSampler(rows, blockRows: 10, windowBlocks: 2, seed: 1);

        var order = sampler.EpochOrder(1);

        Assert.Equal(10, sampler.BlockCount);
        Assert.Equal(rows, order.Order());
        // Each run of 20 positions is two whole blocks.
        for (int w = 0; w < 100; w += 20)
        {
            var blocks = order.Skip(w).Take(20).Select(p => p / 10).Distinct().ToList();
            Assert.Equal(2, blocks.Count);
        }
    }

    [Fact]
    public void ChunkedSampler_OnASubsetOfRows_GroupsByFileBlock()
    {
        // A fraction split's train rows: sorted, with gaps.
        var rows = new long[] { 0, 3, 4, 9, 10, 11, 25, 26, 39 };
        var sampler = new ChunkedSampler(rows, blockRows: 10, windowBlocks: 1, seed: 5);

        var order = sampler.EpochOrder(2);

        Assert.Equal(4, sampler.BlockCount); // rows 0-9, 10-19, 20-29, 30-39
        Assert.Equal(Enumerable.Range(0, rows.Length).Select(i => (long)i), order.Order());
    }

    [Theory]
    [InlineData(null, 268_203, 2_097_152, 8)]   // contiguous 299×299×3: ~2 MB of rows
    [InlineData(1L, 268_203, 2_097_152, 8)]     // one image per chunk: eight chunks
    [InlineData(64L, 268_203, 2_097_152, 64)]   // big chunks: one chunk
    [InlineData(4L, 100, 2_097_152, 20972)]     // small rows: many chunks, still whole ones
    public void BlockRows_AreWholeChunksOfAboutTheTargetSize(long? rowsPerChunk, long rowBytes, long target, long expected)
    {
        Assert.Equal(expected, SamplerFactory.BlockRows(rowsPerChunk, rowBytes, target));
    }
}
